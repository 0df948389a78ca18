using AbstractEndpoint.Jinja.Runtime;

namespace AbstractEndpoint.Jinja.Syntax;

/// <summary>A statement node; executing it writes to the session output and reports loop control flow.</summary>
internal abstract class Stmt(int line)
{
    public int Line { get; } = line;

    public abstract Flow Execute(Scope scope);

    /// <summary>Runs a statement list, stopping at the first break or continue so the enclosing loop can act on it.</summary>
    public static Flow ExecuteBody(Stmt[] body, Scope scope)
    {
        var session = scope.Session;
        RenderSession.EnsureStack();
        foreach (var statement in body)
        {
            session.CurrentLine = statement.Line;
            var flow = statement.Execute(scope);
            if (flow != Flow.Normal)
            {
                return flow;
            }
        }

        return Flow.Normal;
    }
}

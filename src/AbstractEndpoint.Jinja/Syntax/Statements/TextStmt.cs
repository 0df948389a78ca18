using AbstractEndpoint.Jinja.Runtime;

namespace AbstractEndpoint.Jinja.Syntax.Statements;

/// <summary>Literal template text between tags.</summary>
internal sealed class TextStmt(int line, string text) : Stmt(line)
{
    public string Text { get; } = text;

    public override Flow Execute(Scope scope)
    {
        scope.Session.Write(Text);
        return Flow.Normal;
    }
}

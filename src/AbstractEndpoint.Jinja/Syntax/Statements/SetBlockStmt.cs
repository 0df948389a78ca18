using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Syntax.Expressions;
using AbstractEndpoint.Jinja.Syntax.Targets;

namespace AbstractEndpoint.Jinja.Syntax.Statements;

/// <summary><c>{% set target | filters %}body{% endset %}</c>: assigns the rendered body (filtered when filters are given).</summary>
internal sealed class SetBlockStmt(int line, AssignTarget target, FilterExpr? filter, Stmt[] body) : Stmt(line)
{
    public AssignTarget Target { get; } = target;

    public FilterExpr? Filter { get; } = filter;

    public Stmt[] Body { get; } = body;

    /// <summary>Names this frame starts as missing (set once by <see cref="Parsing.ScopeAnalyzer"/> before first use).</summary>
    public string[] MissingNames { get; set; } = [];

    public override Flow Execute(Scope scope)
    {
        var flow = CaptureBody(Body, Scope.ForFrame(scope.Session, scope, MissingNames), out var text);
        if (flow != Flow.Normal)
        {
            // A break/continue leaves the block before Jinja2's generated code assigns it.
            return flow;
        }

        object? value = text;
        if (Filter is not null)
        {
            value = Filter.Apply(value, scope);
        }

        Target.Assign(scope, value);
        return flow;
    }

    /// <summary>Renders a body into a string instead of the output.</summary>
    public static Flow CaptureBody(Stmt[] body, Scope scope, out string text)
    {
        var session = scope.Session;
        session.BeginCapture();
        try
        {
            return ExecuteBody(body, scope);
        }
        finally
        {
            text = session.EndCapture();
        }
    }
}

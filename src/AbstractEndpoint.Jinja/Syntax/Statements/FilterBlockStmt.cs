using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Syntax.Expressions;

namespace AbstractEndpoint.Jinja.Syntax.Statements;

/// <summary><c>{% filter name %}body{% endfilter %}</c>: renders the body, filters it, writes the result.</summary>
internal sealed class FilterBlockStmt(int line, FilterExpr filter, Stmt[] body) : Stmt(line)
{
    public FilterExpr Filter { get; } = filter;

    public Stmt[] Body { get; } = body;

    /// <summary>Names this frame starts as missing (set once by <see cref="Parsing.ScopeAnalyzer"/> before first use).</summary>
    public string[] MissingNames { get; set; } = [];

    public override Flow Execute(Scope scope)
    {
        var flow = SetBlockStmt.CaptureBody(Body, Scope.ForFrame(scope.Session, scope, MissingNames), out var text);
        if (flow == Flow.Normal)
        {
            // A break/continue leaves the block before Jinja2's generated code emits the filtered text.
            scope.Session.Write(PyRepr.Str(Filter.Apply(text, scope)));
        }

        return flow;
    }
}

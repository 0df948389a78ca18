using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Syntax.Targets;

namespace AbstractEndpoint.Jinja.Syntax.Statements;

/// <summary><c>{% with a = 1 %}...{% endwith %}</c>: a scope of its own, values evaluated in the enclosing one.</summary>
internal sealed class WithStmt(int line, AssignTarget[] targets, Expr[] values, Stmt[] body) : Stmt(line)
{
    public AssignTarget[] Targets { get; } = targets;

    public Expr[] Values { get; } = values;

    public Stmt[] Body { get; } = body;

    /// <summary>Names this frame starts as missing (set once by <see cref="Parsing.ScopeAnalyzer"/> before first use).</summary>
    public string[] MissingNames { get; set; } = [];

    public override Flow Execute(Scope scope)
    {
        var inner = Scope.ForFrame(scope.Session, scope, MissingNames);
        for (var i = 0; i < Targets.Length; i++)
        {
            Targets[i].Assign(inner, Values[i].Evaluate(scope));
        }

        return ExecuteBody(Body, inner);
    }
}

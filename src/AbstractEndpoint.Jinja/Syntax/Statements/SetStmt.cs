using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Syntax.Targets;

namespace AbstractEndpoint.Jinja.Syntax.Statements;

/// <summary><c>{% set target = expression %}</c>.</summary>
internal sealed class SetStmt(int line, AssignTarget target, Expr value) : Stmt(line)
{
    public AssignTarget Target { get; } = target;

    public Expr Value { get; } = value;

    public override Flow Execute(Scope scope)
    {
        Target.Assign(scope, Value.Evaluate(scope));
        return Flow.Normal;
    }
}

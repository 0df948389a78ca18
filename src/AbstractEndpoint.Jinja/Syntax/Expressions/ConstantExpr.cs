using AbstractEndpoint.Jinja.Runtime;

namespace AbstractEndpoint.Jinja.Syntax.Expressions;

/// <summary>A literal string, number, boolean or none (immutable, shared between renders).</summary>
internal sealed class ConstantExpr(int line, object? value) : Expr(line)
{
    public object? Value { get; } = value;

    public override bool IsConstant => true;

    public override object? Evaluate(Scope scope) => Value;
}

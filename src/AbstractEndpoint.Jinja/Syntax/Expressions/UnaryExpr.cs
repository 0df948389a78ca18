using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Runtime;

namespace AbstractEndpoint.Jinja.Syntax.Expressions;

/// <summary>Unary <c>-x</c> or <c>+x</c>.</summary>
internal sealed class UnaryExpr(int line, bool negate, Expr operand) : Expr(line)
{
    public bool Negate { get; } = negate;

    public Expr Operand { get; } = operand;

    public override bool IsConstant => Operand.IsConstant;

    public override object? Evaluate(Scope scope)
    {
        RenderSession.EnsureStack();
        var value = Operand.Evaluate(scope);
        return Negate ? PyArithmetic.Negate(value) : PyArithmetic.Plus(value);
    }
}

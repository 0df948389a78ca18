using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Runtime;

namespace AbstractEndpoint.Jinja.Syntax.Expressions;

/// <summary><c>not x</c> (also the negation of <c>is not</c> tests).</summary>
internal sealed class NotExpr(int line, Expr operand) : Expr(line)
{
    public Expr Operand { get; } = operand;

    public override bool IsConstant => Operand.IsConstant;

    public override object? Evaluate(Scope scope)
    {
        RenderSession.EnsureStack();
        return PyBox.Bool(!PyOps.Truthy(Operand.Evaluate(scope)));
    }
}

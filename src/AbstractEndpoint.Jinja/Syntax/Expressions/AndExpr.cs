using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Runtime;

namespace AbstractEndpoint.Jinja.Syntax.Expressions;

/// <summary><c>a and b</c>: returns an operand, not a bool, like Python.</summary>
internal sealed class AndExpr(int line, Expr left, Expr right) : Expr(line)
{
    public Expr Left { get; } = left;

    public Expr Right { get; } = right;

    /// <summary>A constant left side may decide the result alone (short circuit), as Jinja2's folding allows.</summary>
    public override bool IsConstant => Left.IsConstant;

    public override object? Evaluate(Scope scope)
    {
        RenderSession.EnsureStack();
        var left = Left.Evaluate(scope);
        return PyOps.Truthy(left) ? Right.Evaluate(scope) : left;
    }
}

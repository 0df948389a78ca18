using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Values;

namespace AbstractEndpoint.Jinja.Syntax.Expressions;

/// <summary><c>a if test else b</c>; without <c>else</c> a false test yields Undefined, as in Jinja2.</summary>
internal sealed class ConditionalExpr(int line, Expr test, Expr whenTrue, Expr? whenFalse) : Expr(line)
{
    public Expr Test { get; } = test;

    public Expr WhenTrue { get; } = whenTrue;

    public Expr? WhenFalse { get; } = whenFalse;

    /// <summary>Only the branch taken is evaluated, so one constant branch may be enough to fold.</summary>
    public override bool IsConstant => Test.IsConstant && (WhenTrue.IsConstant || WhenFalse?.IsConstant == true);

    public override object? Evaluate(Scope scope)
    {
        RenderSession.EnsureStack();
        if (PyOps.Truthy(Test.Evaluate(scope)))
        {
            return WhenTrue.Evaluate(scope);
        }

        if (WhenFalse is null && scope.Session.FoldingConstants)
        {
            throw new NotFoldableException();
        }

        return WhenFalse is not null
            ? WhenFalse.Evaluate(scope)
            : Undefined.WithHint($"the inline if-expression on line {Line} evaluated to false and no else section was defined.");
    }
}

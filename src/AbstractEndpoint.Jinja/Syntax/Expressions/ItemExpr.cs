using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Runtime;

namespace AbstractEndpoint.Jinja.Syntax.Expressions;

/// <summary>
/// <c>obj[key]</c>: item first, then attribute for string keys, through the sandbox. Slices (<c>obj[a:b:c]</c>)
/// bypass the sandbox in Jinja2 and are plain Python subscriptions, so their errors are Python's own, except while
/// folding constants at parse time, where Jinja2 uses the sandbox's lenient getitem.
/// </summary>
internal sealed class ItemExpr(int line, Expr target, Expr key) : Expr(line)
{
    public Expr Target { get; } = target;

    public Expr Key { get; } = key;

    public override bool IsConstant => Target.IsConstant && Key.IsConstant;

    public override object? Evaluate(Scope scope)
    {
        RenderSession.EnsureStack();
        var target = Target.Evaluate(scope);
        var key = Key.Evaluate(scope);
        return Key is SliceExpr && !scope.Session.FoldingConstants ? PyAccess.Slice(target, (Values.PySlice)key!) : PyAccess.GetItem(target, key);
    }
}

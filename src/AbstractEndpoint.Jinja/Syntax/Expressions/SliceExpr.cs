using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Values;

namespace AbstractEndpoint.Jinja.Syntax.Expressions;

/// <summary>The <c>start:stop:step</c> inside a subscript.</summary>
internal sealed class SliceExpr(int line, Expr? start, Expr? stop, Expr? step) : Expr(line)
{
    public Expr? Start { get; } = start;

    public Expr? Stop { get; } = stop;

    public Expr? Step { get; } = step;

    public override bool IsConstant => AllConstant([Start, Stop, Step]);

    public override object? Evaluate(Scope scope) =>
        new PySlice(Start?.Evaluate(scope), Stop?.Evaluate(scope), Step?.Evaluate(scope));
}

using AbstractEndpoint.Jinja.Builtins;
using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Runtime;

namespace AbstractEndpoint.Jinja.Syntax.Expressions;

/// <summary>
/// <c>operand|name(args)</c>. The filter is resolved at parse time; an unknown filter inside an <c>if</c> only fails if
/// reached (Jinja2 defers those), otherwise the parser has already rejected the template.
/// </summary>
internal sealed class FilterExpr(int line, Expr? operand, string name, FilterFunction? filter, ArgumentList arguments) : Expr(line)
{
    public Expr? Operand { get; } = operand;

    public string Name { get; } = name;

    public FilterFunction? Filter { get; } = filter;

    public ArgumentList Arguments { get; } = arguments;

    /// <summary>Jinja2 folds filters with constant arguments, except those that need the render context.</summary>
    public override bool IsConstant => Filter is not null && (Operand is null || Operand.IsConstant) && Arguments.IsConstant
        && Name is not ("map" or "select" or "reject" or "selectattr" or "rejectattr");

    public override object? Evaluate(Scope scope)
    {
        RenderSession.EnsureStack();
        return Invoke(Operand?.Evaluate(scope), scope);
    }

    /// <summary>
    /// Applies a filter chain parsed without an operand (<c>{% filter a|b %}</c>, <c>{% set x | a %}</c>) to a
    /// rendered body: the innermost filter receives the body.
    /// </summary>
    public object? Apply(object? input, Scope scope) => Invoke(Operand is FilterExpr inner ? inner.Apply(input, scope) : input, scope);

    private object? Invoke(object? value, Scope scope)
    {
        if (scope.Session.FoldingConstants && !IsConstant)
        {
            throw new NotFoldableException();
        }

        if (Filter is null)
        {
            throw PyErrors.Runtime($"No filter named '{Name}' found.");
        }

        return Filter(scope.Session, value, Arguments.Evaluate(scope));
    }
}

using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Values;

namespace AbstractEndpoint.Jinja.Syntax.Expressions;

/// <summary><c>[a, b, c]</c>: a new list on every evaluation.</summary>
internal sealed class ListExpr(int line, Expr[] items) : Expr(line)
{
    public Expr[] Items { get; } = items;

    public override bool IsConstant => AllConstant(Items);

    public override object? Evaluate(Scope scope)
    {
        var values = new List<object?>(Items.Length);
        foreach (var item in Items)
        {
            values.Add(item.Evaluate(scope));
        }

        return new PyList(values);
    }
}

using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Values;

namespace AbstractEndpoint.Jinja.Syntax.Expressions;

/// <summary><c>(a, b)</c> or a bare <c>a, b</c>.</summary>
internal sealed class TupleExpr(int line, Expr[] items) : Expr(line)
{
    public Expr[] Items { get; } = items;

    public override bool IsConstant => AllConstant(Items);

    public override object? Evaluate(Scope scope)
    {
        if (Items.Length == 0)
        {
            return PyTuple.Empty;
        }

        var values = new object?[Items.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Items[i].Evaluate(scope);
        }

        return new PyTuple(values);
    }
}

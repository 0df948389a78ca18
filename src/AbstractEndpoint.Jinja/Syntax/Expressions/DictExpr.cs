using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Values;

namespace AbstractEndpoint.Jinja.Syntax.Expressions;

/// <summary><c>{'key': value, ...}</c>: keys keep their written order; a repeated key keeps its first position.</summary>
internal sealed class DictExpr(int line, Expr[] keys, Expr[] values) : Expr(line)
{
    public Expr[] Keys { get; } = keys;

    public Expr[] Values { get; } = values;

    public override bool IsConstant => AllConstant(Keys) && AllConstant(Values);

    public override object? Evaluate(Scope scope)
    {
        var dict = new PyDict(Keys.Length);
        for (var i = 0; i < Keys.Length; i++)
        {
            var key = Keys[i].Evaluate(scope);
            dict.Set(key, Values[i].Evaluate(scope));
        }

        return dict;
    }
}

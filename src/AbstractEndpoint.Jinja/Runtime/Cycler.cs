using AbstractEndpoint.Jinja.Values;

namespace AbstractEndpoint.Jinja.Runtime;

/// <summary>Jinja2's <c>cycler(*items)</c>: <c>.next()</c> returns the current item and advances; <c>.current</c>, <c>.reset()</c>.</summary>
internal sealed class Cycler(object?[] items)
{
    private int _position;

    public object?[] Items { get; } = items;

    public object? Current => Items[_position];

    public object? Next()
    {
        var value = Current;
        _position = (_position + 1) % Items.Length;
        return value;
    }

    public void Reset() => _position = 0;

    public bool TryGetAttribute(string name, out object? value)
    {
        value = name switch
        {
            "current" => Current,
            "items" => new PyTuple(Items),
            "next" or "reset" => new BoundMethod(this, name),
            _ => null,
        };
        return name is "current" or "items" or "next" or "reset";
    }
}

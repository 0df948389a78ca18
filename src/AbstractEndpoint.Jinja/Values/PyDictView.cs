namespace AbstractEndpoint.Jinja.Values;

/// <summary>What <c>dict.keys()</c>, <c>dict.values()</c> and <c>dict.items()</c> return: a live, re-iterable view.</summary>
internal sealed class PyDictView(PyDict dict, DictViewKind kind)
{
    public PyDict Dict { get; } = dict;

    public DictViewKind Kind { get; } = kind;

    public string TypeName => Kind switch
    {
        DictViewKind.Keys => "dict_keys",
        DictViewKind.Values => "dict_values",
        _ => "dict_items",
    };

    public object? ItemAt(int index) => Kind switch
    {
        DictViewKind.Keys => Dict.KeyAt(index),
        DictViewKind.Values => Dict.ValueAt(index),
        _ => new PyTuple([Dict.KeyAt(index), Dict.ValueAt(index)]),
    };
}

namespace AbstractEndpoint.Jinja.Values;

/// <summary>A Python list. Templates cannot mutate it (the immutable sandbox forbids it), only build new ones.</summary>
internal sealed class PyList
{
    public PyList(List<object?> items) => Items = items;

    public PyList() => Items = [];

    public List<object?> Items { get; }

    public int Count => Items.Count;

    public object? this[int index] => Items[index];
}

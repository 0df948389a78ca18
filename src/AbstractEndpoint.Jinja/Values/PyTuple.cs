namespace AbstractEndpoint.Jinja.Values;

/// <summary>A Python tuple (or named tuple): printed with parentheses, compares unequal to a list with the same items.</summary>
internal sealed class PyTuple
{
    public static readonly PyTuple Empty = new([]);

    public PyTuple(object?[] items, string[]? fieldNames = null)
    {
        Items = items;
        FieldNames = fieldNames;
    }

    public object?[] Items { get; }

    /// <summary>Field names when this is a named tuple (groupby's <c>(grouper, list)</c>), else null.</summary>
    public string[]? FieldNames { get; }

    public int Count => Items.Length;

    public object? this[int index] => Items[index];
}

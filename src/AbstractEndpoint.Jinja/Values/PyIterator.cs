namespace AbstractEndpoint.Jinja.Values;

/// <summary>
/// A single-pass Python iterator or generator (what <c>map</c>, <c>select</c>, <c>unique</c>, <c>reverse</c>... return).
/// Like Python's, it is exhausted after one pass, has no length and is not JSON serializable.
/// </summary>
internal sealed class PyIterator(IEnumerator<object?> source, string typeName)
{
    private bool _hasPeeked;
    private object? _peeked;
    private bool _exhausted;

    /// <summary>The Python type name, e.g. <c>generator</c> or <c>list_reverseiterator</c>.</summary>
    public string TypeName { get; } = typeName;

    public bool TryNext(out object? value)
    {
        if (_hasPeeked)
        {
            _hasPeeked = false;
            value = _peeked;
            _peeked = null;
            return true;
        }

        if (!_exhausted && source.MoveNext())
        {
            value = source.Current;
            return true;
        }

        _exhausted = true;
        value = null;
        return false;
    }

    public IEnumerable<object?> Drain()
    {
        while (TryNext(out var value))
        {
            yield return value;
        }
    }
}

namespace AbstractEndpoint.Jinja.Values;

/// <summary>
/// A Python dict: insertion-ordered, keys compared with Python equality (so <c>1</c>, <c>1.0</c> and <c>True</c> are
/// one key). Small dicts are scanned linearly; an index is built only when a dict grows past a handful of entries.
/// </summary>
internal sealed class PyDict
{
    private const int LinearScanLimit = 8;
    private static readonly object NoneKey = new();

    private readonly List<object?> _keys;
    private readonly List<object?> _values;
    private Dictionary<object, int>? _index;

    public PyDict()
    {
        _keys = [];
        _values = [];
    }

    public PyDict(int capacity)
    {
        _keys = new List<object?>(capacity);
        _values = new List<object?>(capacity);
    }

    public int Count => _keys.Count;

    public object? KeyAt(int index) => _keys[index];

    public object? ValueAt(int index) => _values[index];

    /// <summary>Inserts or replaces; a replaced key keeps its position and its original spelling, as in Python.</summary>
    public void Set(object? key, object? value)
    {
        Python.PyOps.EnsureHashable(key);
        var position = IndexOf(key);
        if (position >= 0)
        {
            _values[position] = value;
            return;
        }

        _keys.Add(key);
        _values.Add(value);
        if (_index is not null)
        {
            _index[key ?? NoneKey] = _keys.Count - 1;
        }
        else if (_keys.Count > LinearScanLimit)
        {
            BuildIndex();
        }
    }

    public bool TryGetValue(object? key, out object? value)
    {
        var position = IndexOf(key);
        if (position < 0)
        {
            value = null;
            return false;
        }

        value = _values[position];
        return true;
    }

    public bool ContainsKey(object? key) => IndexOf(key) >= 0;

    public PyDict Copy()
    {
        var copy = new PyDict(Count);
        for (var i = 0; i < Count; i++)
        {
            copy.Set(_keys[i], _values[i]);
        }

        return copy;
    }

    private int IndexOf(object? key)
    {
        if (_index is not null)
        {
            return _index.TryGetValue(key ?? NoneKey, out var found) ? found : -1;
        }

        if (key is string text)
        {
            for (var i = 0; i < _keys.Count; i++)
            {
                var candidate = _keys[i];
                if (candidate is string s ? string.Equals(s, text, StringComparison.Ordinal) : candidate is Markup m && m.Value == text)
                {
                    return i;
                }
            }

            return -1;
        }

        for (var i = 0; i < _keys.Count; i++)
        {
            if (Python.PyOps.Equal(_keys[i], key))
            {
                return i;
            }
        }

        return -1;
    }

    private void BuildIndex()
    {
        _index = new Dictionary<object, int>(_keys.Count * 2, PyKeyComparer.Instance);
        for (var i = 0; i < _keys.Count; i++)
        {
            _index[_keys[i] ?? NoneKey] = i;
        }
    }

    /// <summary>Hashes consistently with Python equality across str/Markup and int/float/bool.</summary>
    private sealed class PyKeyComparer : IEqualityComparer<object>
    {
        public static readonly PyKeyComparer Instance = new();

        public new bool Equals(object? x, object? y) =>
            ReferenceEquals(x, y) || Python.PyOps.Equal(ReferenceEquals(x, NoneKey) ? null : x, ReferenceEquals(y, NoneKey) ? null : y);

        public int GetHashCode(object obj) => Python.PyOps.Hash(ReferenceEquals(obj, NoneKey) ? null : obj);
    }
}

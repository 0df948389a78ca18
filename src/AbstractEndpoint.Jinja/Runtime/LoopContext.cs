using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Values;

namespace AbstractEndpoint.Jinja.Runtime;

/// <summary>
/// The <c>loop</c> variable: index, revindex, first/last, length, previtem/nextitem, cycle(), changed(), depth, and
/// <c>loop(children)</c> in recursive loops. Sequences are indexed directly; other iterables (filtered loops,
/// generators) are pulled lazily, one item ahead only when <c>last</c>/<c>nextitem</c>/<c>length</c> need it.
/// </summary>
internal sealed class LoopContext : IPyCallable
{
    private readonly IReadOnlyList<object?>? _sequence;
    private readonly IEnumerator<object?>? _source;
    private readonly List<object?>? _buffer;
    private readonly Func<object?, int, string>? _recurse;
    private bool _sourceDone;
    private bool _hasChangedValue;
    private object? _changedValue;

    public LoopContext(IReadOnlyList<object?> sequence, int depth0, Func<object?, int, string>? recurse)
    {
        _sequence = sequence;
        Depth0 = depth0;
        _recurse = recurse;
    }

    public LoopContext(IEnumerable<object?> source, int depth0, Func<object?, int, string>? recurse)
    {
        _source = source.GetEnumerator();
        _buffer = [];
        Depth0 = depth0;
        _recurse = recurse;
    }

    public int Index0 { get; private set; } = -1;

    public int Index => Index0 + 1;

    public int Depth0 { get; }

    public object? Current => ItemAt(Index0);

    public int Length
    {
        get
        {
            if (_sequence is not null)
            {
                return _sequence.Count;
            }

            while (Pull())
            {
            }

            return _buffer!.Count;
        }
    }

    public bool MoveNext()
    {
        if (!Has(Index0 + 1))
        {
            return false;
        }

        Index0++;
        return true;
    }

    public bool TryGetAttribute(string name, out object? value)
    {
        value = GetAttribute(name);
        return value is not Undefined || name is "previtem" or "nextitem";
    }

    private object? GetAttribute(string name) => name switch
    {
        "index" => PyBox.Int(Index),
        "index0" => PyBox.Int(Index0),
        "revindex" => PyBox.Int(Length - Index0),
        "revindex0" => PyBox.Int(Length - Index),
        "first" => PyBox.Bool(Index0 == 0),
        "last" => PyBox.Bool(!Has(Index0 + 1)),
        "length" => PyBox.Int(Length),
        "depth" => PyBox.Int(Depth0 + 1),
        "depth0" => PyBox.Int(Depth0),
        "previtem" => Index0 > 0 ? ItemAt(Index0 - 1) : Undefined.WithHint("there is no previous item"),
        "nextitem" => Has(Index0 + 1) ? ItemAt(Index0 + 1) : Undefined.WithHint("there is no next item"),
        "cycle" or "changed" => new BoundMethod(this, name),
        _ => Undefined.ForMember(this, name),
    };

    public object? Cycle(CallArguments arguments)
    {
        if (arguments.Count == 0)
        {
            throw PyErrors.TypeError("no items for cycling given");
        }

        return arguments.Positional[Index0 % arguments.Count];
    }

    public bool Changed(CallArguments arguments)
    {
        var value = new PyTuple(arguments.Positional);
        if (_hasChangedValue && PyOps.Equal(_changedValue, value))
        {
            return false;
        }

        _hasChangedValue = true;
        _changedValue = value;
        return true;
    }

    /// <summary><c>loop(children)</c> in a recursive loop: renders the loop body over the children, one level deeper.</summary>
    public object? Call(RenderSession session, CallArguments arguments)
    {
        if (_recurse is null)
        {
            throw PyErrors.TypeError("The loop must have the 'recursive' marker to be called recursively.");
        }

        if (arguments.Count != 1)
        {
            throw PyErrors.TypeError($"__call__() takes 2 positional arguments but {arguments.Count + 1} were given");
        }

        return _recurse(arguments.Positional[0], Depth0 + 1);
    }

    private bool Has(int index)
    {
        if (_sequence is not null)
        {
            return index < _sequence.Count;
        }

        while (_buffer!.Count <= index)
        {
            if (!Pull())
            {
                return false;
            }
        }

        return true;
    }

    private object? ItemAt(int index) => _sequence is not null ? _sequence[index] : _buffer![index];

    private bool Pull()
    {
        if (_sourceDone)
        {
            return false;
        }

        if (_source!.MoveNext())
        {
            _buffer!.Add(_source.Current);
            return true;
        }

        _sourceDone = true;
        return false;
    }
}

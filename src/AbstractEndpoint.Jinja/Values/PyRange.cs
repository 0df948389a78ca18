namespace AbstractEndpoint.Jinja.Values;

/// <summary>A Python <c>range</c>: lazy, sized, re-iterable.</summary>
internal sealed class PyRange
{
    public PyRange(long start, long stop, long step)
    {
        Start = start;
        Stop = stop;
        Step = step;
        long count = step > 0
            ? (stop > start ? ((stop - start - 1) / step) + 1 : 0)
            : (stop < start ? ((start - stop - 1) / -step) + 1 : 0);
        Count = (int)Math.Min(count, int.MaxValue);
    }

    public long Start { get; }

    public long Stop { get; }

    public long Step { get; }

    public int Count { get; }

    public object? this[int index] => Python.PyBox.Int(Start + (index * Step));
}

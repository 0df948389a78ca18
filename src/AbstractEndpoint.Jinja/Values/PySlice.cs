namespace AbstractEndpoint.Jinja.Values;

/// <summary>A Python slice object, produced by <c>a[start:stop:step]</c>.</summary>
internal sealed class PySlice(object? start, object? stop, object? step)
{
    public object? Start { get; } = start;

    public object? Stop { get; } = stop;

    public object? Step { get; } = step;
}

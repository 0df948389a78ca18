namespace AbstractEndpoint.Jinja.Runtime;

/// <summary>Jinja2's <c>joiner(sep)</c>: returns "" on the first call and the separator afterwards.</summary>
internal sealed class Joiner(string separator) : IPyCallable
{
    private bool _used;

    public string Separator { get; } = separator;

    public object? Call(RenderSession session, CallArguments arguments)
    {
        if (!_used)
        {
            _used = true;
            return string.Empty;
        }

        return Separator;
    }
}

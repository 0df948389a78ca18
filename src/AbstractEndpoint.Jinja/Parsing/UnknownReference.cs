namespace AbstractEndpoint.Jinja.Parsing;

/// <summary>
/// A filter or test name with no implementation. Jinja2 rejects it at compile time unless it sits inside an
/// <c>if</c> or a conditional expression ("soft" frames), where it only fails if actually reached.
/// </summary>
internal sealed class UnknownReference(string kind, string name, int line, bool soft)
{
    public string Kind { get; } = kind;

    public string Name { get; } = name;

    public int Line { get; } = line;

    public bool Soft { get; set; } = soft;
}

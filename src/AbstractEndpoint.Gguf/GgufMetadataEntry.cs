namespace AbstractEndpoint.Gguf;

/// <summary>One metadata key and its value, in file order.</summary>
/// <param name="Key">The dotted key, e.g. <c>general.architecture</c>.</param>
/// <param name="Value">The typed value.</param>
public sealed record GgufMetadataEntry(string Key, GgufValue Value)
{
    public override string ToString() => $"{Key} = {Value}";
}

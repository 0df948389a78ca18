namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>A request field accepted and left without effect (lenient mode), with why, for the host's debug log.</summary>
/// <param name="Name">The field's name, as sent.</param>
/// <param name="Reason">Why it has no effect here.</param>
public sealed record IgnoredField(string Name, string Reason)
{
    public override string ToString() => $"{Name} ({Reason})";
}

namespace AbstractEndpoint.StructuredOutput.Parsing;

/// <summary>
/// What a format parser has seen of one call so far. <see cref="Arguments"/> only ever grows between re-parses
/// (the streaming parser emits the new suffix), and it is the final arguments JSON once complete.
/// </summary>
internal sealed record PartialCall(string? Name, string Arguments, bool ArgumentsComplete);

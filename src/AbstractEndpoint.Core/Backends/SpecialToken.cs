namespace AbstractEndpoint.Core.Backends;

/// <summary>A special token of the vocabulary (BOS, EOS): its id and its text.</summary>
public sealed record SpecialToken(int Id, string Text);

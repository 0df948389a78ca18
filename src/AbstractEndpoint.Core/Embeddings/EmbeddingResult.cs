namespace AbstractEndpoint.Core.Embeddings;

/// <summary>The vectors of an embeddings request, one per input in order, and the tokens they cost.</summary>
public sealed record EmbeddingResult(IReadOnlyList<float[]> Vectors, int PromptTokens);

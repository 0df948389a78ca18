using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Protocol.LlamaServer;

/// <summary>A <c>POST /detokenize</c> body: the token ids to turn back into text.</summary>
public sealed record DetokenizeRequest(IReadOnlyList<int> Tokens, IReadOnlyList<IgnoredField> Ignored);

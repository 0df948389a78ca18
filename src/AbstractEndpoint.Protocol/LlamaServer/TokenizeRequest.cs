using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Protocol.LlamaServer;

/// <summary>A <c>POST /tokenize</c> body (llama-server's fields and defaults).</summary>
/// <param name="Content">The text to tokenize.</param>
/// <param name="AddSpecial">Add BOS when the model's metadata asks for it (default false, as llama-server).</param>
/// <param name="ParseSpecial">Turn special-token text into its id (default true, as llama-server).</param>
/// <param name="WithPieces">Answer each token with its text (<c>{"id", "piece"}</c>) instead of a bare id.</param>
/// <param name="Ignored">Fields accepted without effect.</param>
public sealed record TokenizeRequest(
    string Content, bool AddSpecial, bool ParseSpecial, bool WithPieces, IReadOnlyList<IgnoredField> Ignored);

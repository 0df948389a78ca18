namespace AbstractEndpoint.Engine.Runtime;

/// <summary>
/// The vocabulary's fill-in-the-middle markers (GGUF <c>tokenizer.ggml.fim_pre_token_id</c>, <c>…fim_suf…</c>,
/// <c>…fim_mid…</c>): a FIM prompt is <c>PRE prefix SUF suffix MID</c>, and the model writes the middle.
/// </summary>
public sealed record FillInTheMiddleTokens(int Prefix, int Suffix, int Middle);

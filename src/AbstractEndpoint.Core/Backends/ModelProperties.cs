namespace AbstractEndpoint.Core.Backends;

/// <summary>The loaded model's facts a client needs (<c>GET /props</c>, <c>meta</c> of <c>/v1/models</c>).</summary>
/// <param name="ContextSize">KV cells the slots share (llama-server's <c>n_ctx</c>).</param>
/// <param name="TrainContextSize">The context length the model was trained with (<c>n_ctx_train</c>).</param>
/// <param name="VocabularySize">Tokens in the vocabulary (<c>n_vocab</c>).</param>
/// <param name="ParameterCount">Weights in the model (<c>n_params</c>).</param>
/// <param name="SizeBytes">Bytes the weights take (<c>size</c>).</param>
/// <param name="Slots">Requests decoded in parallel (<c>total_slots</c>).</param>
/// <param name="Bos">The BOS token, null when the vocabulary has none.</param>
/// <param name="Eos">The EOS token, null when the vocabulary has none.</param>
/// <param name="AddsBos">Whether a prompt gets a BOS token (the model's metadata).</param>
/// <param name="ChatTemplateName">Which chat template is in use (the model's, an override, or the ChatML fallback).</param>
/// <param name="ChatTemplate">The chat template's text as given (Jinja), or the built-in name when it has none.</param>
/// <param name="Runtime">What runs the model, with its version (for <c>build_info</c>).</param>
public sealed record ModelProperties(
    int ContextSize,
    int TrainContextSize,
    int VocabularySize,
    long ParameterCount,
    long SizeBytes,
    int Slots,
    SpecialToken? Bos,
    SpecialToken? Eos,
    bool AddsBos,
    string ChatTemplateName,
    string ChatTemplate,
    string Runtime);

using AbstractEndpoint.Core.Completion;
using AbstractEndpoint.Core.Errors;

namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>A validated <c>/v1/embeddings</c> body.</summary>
/// <param name="Inputs">The inputs, in order: text or token ids.</param>
/// <param name="Model">The model name the client asked for (checked by the host).</param>
/// <param name="Base64">Vectors as base64 of little-endian float32 (<c>encoding_format: "base64"</c>) rather than JSON numbers.</param>
/// <param name="Dimensions">The vector length the client asked for (<c>dimensions</c>), or null.</param>
public sealed record ParsedEmbeddings(IReadOnlyList<TextPrompt> Inputs, string Model, bool Base64, int? Dimensions)
{
    /// <summary>Fields accepted without effect (unknown names), in body order, for the host to log.</summary>
    public IReadOnlyList<IgnoredField> Ignored { get; init; } = [];

    /// <summary>
    /// <c>dimensions</c> shortens vectors only on models trained for it (Matryoshka); here a vector is the model's
    /// full width, so asking for that width is fine and any other is a 400 that names it.
    /// </summary>
    public void CheckDimensions(int modelDimensions)
    {
        if (Dimensions is { } asked && asked != modelDimensions)
        {
            throw new InvalidRequestException(
                $"Unsupported value for 'dimensions': this model's vectors have {modelDimensions} dimensions and cannot be shortened to {asked}.",
                "dimensions", "unsupported_parameter");
        }
    }
}

using System.Text.Json.Serialization;
using AbstractEndpoint.Core.Backends;

namespace AbstractEndpoint.Protocol.LlamaServer;

/// <summary>The <c>meta</c> object llama-server adds to a <c>/v1/models</c> entry.</summary>
public sealed record ModelMeta(
    [property: JsonPropertyName("n_ctx")] int ContextSize,
    [property: JsonPropertyName("n_ctx_train")] int TrainContextSize,
    [property: JsonPropertyName("n_vocab")] int VocabularySize,
    [property: JsonPropertyName("n_params")] long ParameterCount,
    [property: JsonPropertyName("size")] long SizeBytes)
{
    public static ModelMeta From(ModelProperties properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        return new ModelMeta(properties.ContextSize, properties.TrainContextSize, properties.VocabularySize,
            properties.ParameterCount, properties.SizeBytes);
    }
}

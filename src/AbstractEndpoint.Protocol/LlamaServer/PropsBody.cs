using System.Text.Json.Serialization;
using AbstractEndpoint.Core.Backends;

namespace AbstractEndpoint.Protocol.LlamaServer;

/// <summary>
/// <c>GET /props</c> in llama-server's shape (the fields it has that apply here), plus <c>model</c>, <c>n_vocab</c>,
/// <c>n_ctx_train</c> and <c>chat_template_name</c>.
/// </summary>
public sealed record PropsBody(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("default_generation_settings")] PropsGenerationSettings DefaultGenerationSettings,
    [property: JsonPropertyName("total_slots")] int TotalSlots,
    [property: JsonPropertyName("model_path")] string ModelPath,
    [property: JsonPropertyName("chat_template")] string ChatTemplate,
    [property: JsonPropertyName("chat_template_name")] string ChatTemplateName,
    [property: JsonPropertyName("modalities")] PropsModalities Modalities,
    [property: JsonPropertyName("bos_token")] string BosToken,
    [property: JsonPropertyName("eos_token")] string EosToken,
    [property: JsonPropertyName("bos_token_id")] int? BosTokenId,
    [property: JsonPropertyName("eos_token_id")] int? EosTokenId,
    [property: JsonPropertyName("add_bos_token")] bool AddBosToken,
    [property: JsonPropertyName("n_vocab")] int VocabularySize,
    [property: JsonPropertyName("n_ctx_train")] int TrainContextSize,
    [property: JsonPropertyName("build_info")] string BuildInfo)
{
    /// <summary>The body for a loaded model; <paramref name="modelPath"/> is what the operator gave (a path or repo id).</summary>
    public static PropsBody From(string model, string modelPath, ModelProperties properties, string buildInfo)
    {
        ArgumentNullException.ThrowIfNull(properties);
        return new PropsBody(
            model,
            new PropsGenerationSettings(properties.ContextSize),
            properties.Slots,
            modelPath,
            properties.ChatTemplate,
            properties.ChatTemplateName,
            new PropsModalities(Vision: false, Audio: false),
            properties.Bos?.Text ?? "",
            properties.Eos?.Text ?? "",
            properties.Bos?.Id,
            properties.Eos?.Id,
            properties.AddsBos,
            properties.VocabularySize,
            properties.TrainContextSize,
            buildInfo);
    }
}

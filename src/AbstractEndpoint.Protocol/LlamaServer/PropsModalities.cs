using System.Text.Json.Serialization;

namespace AbstractEndpoint.Protocol.LlamaServer;

/// <summary>Which inputs besides text the model takes (<c>/props</c>' <c>modalities</c>); this server serves text only.</summary>
public sealed record PropsModalities(
    [property: JsonPropertyName("vision")] bool Vision,
    [property: JsonPropertyName("audio")] bool Audio);

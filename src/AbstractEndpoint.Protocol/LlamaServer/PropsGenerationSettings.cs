using System.Text.Json.Serialization;

namespace AbstractEndpoint.Protocol.LlamaServer;

/// <summary><c>default_generation_settings</c> of <c>/props</c>: llama-server's per-slot context, which clients read as the request limit.</summary>
public sealed record PropsGenerationSettings([property: JsonPropertyName("n_ctx")] int ContextSize);

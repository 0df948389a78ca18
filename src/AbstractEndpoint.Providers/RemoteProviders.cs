namespace AbstractEndpoint.Providers;

/// <summary>The remote providers this server can front, spoken to through the OpenAI chat-completions API, and Anthropic through its Messages API.</summary>
public static class RemoteProviders
{
    public static IReadOnlyList<RemoteProvider> All { get; } =
    [
        new("openai", "https://api.openai.com/v1", "OPENAI_BASE_URL", "OPENAI_API_KEY"),
        new("openai-compatible", "http://localhost:8080/v1", "OPENAI_COMPATIBLE_BASE_URL", "OPENAI_COMPATIBLE_API_KEY"),
        new("openrouter", "https://openrouter.ai/api/v1", "OPENROUTER_BASE_URL", "OPENROUTER_API_KEY"),
        new("portkey", "https://api.portkey.ai/v1", "PORTKEY_BASE_URL", "PORTKEY_API_KEY", "x-portkey-api-key"),
        new("lmstudio", "http://localhost:1234/v1", "LMSTUDIO_BASE_URL", null),
        new("vllm", "http://localhost:8000/v1", "VLLM_BASE_URL", "VLLM_API_KEY"),
        new("ollama", "http://localhost:11434/v1", "OLLAMA_BASE_URL", null),
        new("anthropic", "https://api.anthropic.com/v1", "ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY", "x-api-key", RemoteApi.AnthropicMessages),
    ];

    /// <summary>The provider named <paramref name="name"/> (case-insensitive), or null.</summary>
    public static RemoteProvider? Find(string name) =>
        All.FirstOrDefault(p => p.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The names, for help and error messages.</summary>
    public static string Names => string.Join(", ", All.Select(p => p.Name));
}

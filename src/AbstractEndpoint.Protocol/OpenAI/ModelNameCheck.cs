using AbstractEndpoint.Core.Errors;

namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>
/// The original endpoint's model-name rule, minus its bug: the exact served id always passes (the original
/// rejected ids such as <c>openai/gpt-oss-20b</c> because it stripped the "provider" first); otherwise one known
/// provider prefix is dropped, an empty name passes, and anything else is a 400 naming both ids. The server applies
/// it only under <c>--strict-model-name</c>: by default, as llama-server, any name is answered by the one model.
/// </summary>
public static class ModelNameCheck
{
    private static readonly HashSet<string> ProviderPrefixes = new(StringComparer.OrdinalIgnoreCase)
    {
        "openai", "anthropic", "openrouter", "portkey", "ollama", "lmstudio", "vllm", "openai-compatible", "huggingface", "mlx",
    };

    public static void Validate(string requested, string servedId)
    {
        if (Matches(requested, servedId))
        {
            return;
        }

        throw new InvalidRequestException(
            $"This endpoint serves model '{servedId}', but the request asked for model '{requested}'.", "model", "model_not_found");
    }

    /// <summary>Whether a requested name means the served model (its id, a provider-prefixed id, or empty).</summary>
    public static bool Matches(string requested, string servedId)
    {
        var name = requested.Trim();
        if (name == servedId)
        {
            return true;
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && ProviderPrefixes.Contains(name[..slash]))
        {
            name = name[(slash + 1)..].Trim();
        }

        return name.Length == 0 || name == servedId;
    }
}

using AbstractEndpoint.Providers;

namespace AbstractEndpoint.Host.Options;

/// <summary>The provider names this server knows, and the message for the ones it does not serve.</summary>
public static class Providers
{
    /// <summary>Local GGUF inference through llama.cpp; the aliases are what users of other tools type.</summary>
    public static readonly IReadOnlySet<string> LocalGguf =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "huggingface", "gguf", "llamacpp" };

    /// <summary>The remote provider <paramref name="provider"/> names, or null for a local one.</summary>
    public static RemoteProvider? Remote(string provider) => RemoteProviders.Find(provider);

    /// <summary>Returns null when the provider is served, else the reason it is not.</summary>
    public static string? Check(string provider)
    {
        if (LocalGguf.Contains(provider) || Remote(provider) is not null)
        {
            return null;
        }

        var why = provider.Equals("mlx", StringComparison.OrdinalIgnoreCase)
            ? "'mlx' runs only on Apple Silicon through Python's MLX and is not available in this server"
            : $"unknown provider '{provider}'";
        return $"{why}. Available providers: huggingface (GGUF models through llama.cpp; aliases: gguf, llamacpp); remote: {RemoteProviders.Names}.";
    }
}

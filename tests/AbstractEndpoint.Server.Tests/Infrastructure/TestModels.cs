using AbstractEndpoint.TestSupport;

namespace AbstractEndpoint.Server.Tests.Infrastructure;

/// <summary>The GGUF files the server tests run on.</summary>
public static class TestModels
{
    /// <summary>The tiny trained story model from ../shared (null when shared/ is absent).</summary>
    public static string? Stories260K => SharedAssets.File("models", "stories260K.gguf");

    /// <summary>Random weights with the real 32k Llama-2 vocabulary (null when shared/ is absent).</summary>
    public static string? TinyRandomLlama => SharedAssets.File("models", "llama-2-tiny-random.gguf");
}

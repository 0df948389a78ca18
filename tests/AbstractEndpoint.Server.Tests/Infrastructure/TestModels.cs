using AbstractEndpoint.Gguf;
using AbstractEndpoint.Gguf.Synthetic;
using AbstractEndpoint.TestSupport;

namespace AbstractEndpoint.Server.Tests.Infrastructure;

/// <summary>The GGUF files the server tests run on.</summary>
public static class TestModels
{
    private static readonly Lazy<string> SyntheticPath = new(WriteSynthetic);

    /// <summary>The tiny trained story model from ../shared (null when shared/ is absent).</summary>
    public static string? Stories260K => SharedAssets.File("models", "stories260K.gguf");

    /// <summary>Random weights with the real 32k Llama-2 vocabulary (null when shared/ is absent).</summary>
    public static string? TinyRandomLlama => SharedAssets.File("models", "llama-2-tiny-random.gguf");

    /// <summary>
    /// A tiny llama-architecture model written by the project's own GGUF writer (random weights, built-in vocabulary
    /// with ChatML tokens, ChatML template), so the suite runs without ../shared.
    /// </summary>
    public static string Synthetic => SyntheticPath.Value;

    /// <summary>The synthetic model's end-of-generation tokens (<c>&lt;/s&gt;</c> and <c>&lt;|im_end|&gt;</c>).</summary>
    public static IReadOnlyList<int> SyntheticEndTokens { get; } = [BuiltInVocabulary.EosId, BuiltInVocabulary.ImEndId];

    private static string WriteSynthetic()
    {
        var path = Path.Combine(Path.GetTempPath(), $"abstractendpoint-tests-{Environment.ProcessId}", "tiny-chatml.gguf");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        SyntheticModel.Write(path, new SyntheticModelOptions
        {
            Shape = SyntheticModelShape.Tiny,
            TensorType = GgmlType.F32,
            Vocabulary = BuiltInVocabulary.Create(),
            ChatTemplate = ChatTemplates.ChatMl,
            ContextLength = 2048,
            Seed = 7,
        });
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        return path;
    }
}

using AbstractEndpoint.Gguf;
using AbstractEndpoint.Gguf.Synthetic;
using AbstractEndpoint.TestSupport;

namespace AbstractEndpoint.Server.Tests.Infrastructure;

/// <summary>The GGUF files the server tests run on.</summary>
public static class TestModels
{
    private static readonly Lazy<string> SyntheticPath = new(() => WriteSynthetic("tiny-chatml.gguf", SyntheticModelShape.Tiny));
    private static readonly Lazy<string> QuantizableKvPath = new(() => WriteSynthetic(
        "tiny-chatml-head32.gguf", SyntheticModelShape.Tiny with { Name = "tiny-head32", HeadCount = 2, HeadCountKv = 1 }));
    private static readonly Lazy<string> FillInTheMiddlePath = new(() => WriteSynthetic(
        "tiny-fim.gguf", SyntheticModelShape.Tiny, fillInTheMiddle: true));

    /// <summary>The tiny trained story model from ../shared (null when shared/ is absent).</summary>
    public static string? Stories260K => SharedAssets.File("models", "stories260K.gguf");

    /// <summary>Random weights with the real 32k Llama-2 vocabulary (null when shared/ is absent).</summary>
    public static string? TinyRandomLlama => SharedAssets.File("models", "llama-2-tiny-random.gguf");

    /// <summary>
    /// A tiny llama-architecture model written by the project's own GGUF writer (random weights, built-in vocabulary
    /// with ChatML tokens, ChatML template), so the suite runs without ../shared.
    /// </summary>
    public static string Synthetic => SyntheticPath.Value;

    /// <summary>
    /// The synthetic model with heads of 32 values (2 heads over n_embd 64), so its KV cache can be q8_0 or q4_0, whose
    /// blocks hold 32 values (the other test models' heads of 8 and 16 cannot).
    /// </summary>
    public static string QuantizableKv => QuantizableKvPath.Value;

    /// <summary>
    /// The synthetic model with fill-in-the-middle tokens appended to its vocabulary (<see cref="FillInTheMiddleVocabulary"/>:
    /// ids <see cref="BuiltInVocabulary"/>'s count, +1, +2), so <c>suffix</c> on <c>/v1/completions</c> has markers to use.
    /// </summary>
    public static string SyntheticFillInTheMiddle => FillInTheMiddlePath.Value;

    /// <summary>The synthetic model's end-of-generation tokens (<c>&lt;/s&gt;</c> and <c>&lt;|im_end|&gt;</c>).</summary>
    public static IReadOnlyList<int> SyntheticEndTokens { get; } = [BuiltInVocabulary.EosId, BuiltInVocabulary.ImEndId];

    private static string WriteSynthetic(string file, SyntheticModelShape shape, bool fillInTheMiddle = false)
    {
        var path = Path.Combine(Path.GetTempPath(), $"abstractendpoint-tests-{Environment.ProcessId}", file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        SyntheticModel.Write(path, new SyntheticModelOptions
        {
            Shape = shape,
            TensorType = GgmlType.F32,
            Vocabulary = BuiltInVocabulary.Create(),
            ChatTemplate = ChatTemplates.ChatMl,
            ContextLength = 2048,
            Seed = 7,
            FillInTheMiddle = fillInTheMiddle,
        });
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (Directory.Exists(Path.GetDirectoryName(path)))
            {
                Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
            }
        };
        return path;
    }
}

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

    /// <summary>
    /// A tiny <c>bert</c> embedding model (encoder only, n_embd 64, 2 blocks, training context 512) written by
    /// <see cref="SyntheticBertModel"/> with <paramref name="pooling"/> in its metadata; the weights do not depend on the
    /// pooling, so the two files differ only in <c>bert.pooling_type</c>.
    /// </summary>
    public static string SyntheticBert(BertPooling pooling) => pooling == BertPooling.Mean ? BertMeanPath.Value : BertClsPath.Value;

    /// <summary>The synthetic model's end-of-generation tokens (<c>&lt;/s&gt;</c> and <c>&lt;|im_end|&gt;</c>).</summary>
    public static IReadOnlyList<int> SyntheticEndTokens { get; } = [BuiltInVocabulary.EosId, BuiltInVocabulary.ImEndId];

    private static readonly Lazy<string> BertMeanPath = new(() => WriteBert("tiny-bert-mean.gguf", BertPooling.Mean));
    private static readonly Lazy<string> BertClsPath = new(() => WriteBert("tiny-bert-cls.gguf", BertPooling.Cls));

    private static string WriteBert(string file, BertPooling pooling)
    {
        var path = TemporaryPath(file);
        SyntheticBertModel.Write(
            path,
            new SyntheticModelOptions { Shape = SyntheticModelShape.Tiny, TensorType = GgmlType.F32, ContextLength = 512, Seed = 11 },
            pooling);
        return path;
    }

    private static string TemporaryPath(string file)
    {
        var path = Path.Combine(Path.GetTempPath(), $"abstractendpoint-tests-{Environment.ProcessId}", file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (Directory.Exists(Path.GetDirectoryName(path)))
            {
                Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
            }
        };
        return path;
    }

    private static string WriteSynthetic(string file, SyntheticModelShape shape, bool fillInTheMiddle = false)
    {
        var path = TemporaryPath(file);
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
        return path;
    }
}

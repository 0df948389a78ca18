using System.Globalization;
using AbstractEndpoint.Core.Embeddings;
using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.Llama;
using AbstractEndpoint.StructuredOutput;

namespace AbstractEndpoint.Host.Configuration;

/// <summary>
/// Text to value for settings. Each throws <see cref="FormatException"/> with a message that reads after the name of
/// where the text came from ("--threads must be at least 1, got 0.").
/// </summary>
internal static class SettingParsers
{
    public static string Text(string text) => text;

    public static string? OptionalText(string text) => text;

    public static Func<string, int> WholeNumber(int atLeast) => text =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value >= atLeast ? value : throw new FormatException($"must be {(atLeast == 0 ? "zero or more" : $"at least {atLeast}")}, got {value}.")
            : throw new FormatException($"must be a whole number, got '{text}'.");

    public static Func<string, int?> OptionalWholeNumber(int atLeast)
    {
        var parse = WholeNumber(atLeast);
        return text => parse(text);
    }

    public static double? PositiveSeconds(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value > 0 ? value : throw new FormatException($"must be positive, got {text}.")
            : throw new FormatException($"must be a number of seconds, got '{text}'.");

    /// <summary>auto (<see cref="SchedulerOptions.AutoTargetItl"/>), off (null: no step budget) or milliseconds above zero.</summary>
    public static double? TargetItl(string text) => text.ToLowerInvariant() switch
    {
        "auto" => SchedulerOptions.AutoTargetItl,
        "off" => null,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value > 0 ? value : throw new FormatException($"must be auto, off or more than 0 ms, got {text}.")
            : throw new FormatException($"must be auto, off or a number of milliseconds, got '{text}'."),
    };

    /// <summary>auto (<see cref="SchedulerOptions.AutoWaveHold"/>), off (0) or a number of prompt tokens above zero.</summary>
    public static int WaveHold(string text) => text.ToLowerInvariant() switch
    {
        "auto" => SchedulerOptions.AutoWaveHold,
        "off" => 0,
        _ => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value > 0 ? value : throw new FormatException($"must be auto, off or more than 0 tokens, got {text}.")
            : throw new FormatException($"must be auto, off or a number of tokens, got '{text}'."),
    };

    /// <summary>One of <paramref name="choices"/> in any case, returned in lower case.</summary>
    public static Func<string, string> OneOf(params string[] choices) => text =>
        choices.FirstOrDefault(c => c.Equals(text, StringComparison.OrdinalIgnoreCase))
        ?? throw new FormatException($"must be {Alternatives(choices)}, got '{text}'.");

    /// <summary>true/false, also 1/0, yes/no, on/off (what environment variables usually hold).</summary>
    public static bool Boolean(string text) => text.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw new FormatException($"must be true or false, got '{text}'."),
    };

    public static bool? FlashAttention(string text) =>
        LlamaRuntimeOptions.TryParseFlashAttention(text, out var value) ? value
        : throw new FormatException($"must be auto, on or off, got '{text}'.");

    /// <summary>A layer count, or <c>all</c> (also llama.cpp's <c>-1</c>) for every layer.</summary>
    public static int GpuLayers(string text) =>
        text.Equals("all", StringComparison.OrdinalIgnoreCase) || text.Trim() == "-1" ? LlamaRuntimeOptions.AllLayers
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
        : throw new FormatException($"must be a number of layers (0 or more) or all, got '{text}'.");

    public static GpuSplitMode SplitMode(string text) => text.ToLowerInvariant() switch
    {
        "none" => GpuSplitMode.None,
        "layer" => GpuSplitMode.Layer,
        "row" => GpuSplitMode.Row,
        _ => throw new FormatException($"must be none, layer or row, got '{text}'."),
    };

    public static KvCacheType CacheType(string text) =>
        LlamaRuntimeOptions.TryParseCacheType(text, out var value) ? value
        : throw new FormatException($"must be f16, q8_0 or q4_0, got '{text}'.");

    // llama-server's names: "deepseek" extracts reasoning, "auto" (its default) does too, "none" leaves it inline.
    public static ReasoningFormat ReasoningFormat(string text) => text.ToLowerInvariant() switch
    {
        "auto" or "deepseek" => StructuredOutput.ReasoningFormat.Extract,
        "none" => StructuredOutput.ReasoningFormat.None,
        _ => throw new FormatException($"must be none, auto or deepseek, got '{text}'."),
    };

    public static EmbeddingPooling? Pooling(string text) => text.ToLowerInvariant() switch
    {
        "mean" => EmbeddingPooling.Mean,
        "cls" => EmbeddingPooling.Cls,
        "last" => EmbeddingPooling.Last,
        _ => throw new FormatException($"must be mean, cls or last, got '{text}'."),
    };

    private static string Alternatives(string[] choices) =>
        choices.Length == 1 ? choices[0] : string.Join(", ", choices[..^1]) + " or " + choices[^1];
}

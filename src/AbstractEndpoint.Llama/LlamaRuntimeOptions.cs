namespace AbstractEndpoint.Llama;

/// <summary>How to load the model and size its context.</summary>
public sealed record LlamaRuntimeOptions
{
    public required string ModelPath { get; init; }

    /// <summary>Total KV cells shared by all slots; null means the model's training length, capped at 8192.</summary>
    public int? ContextSize { get; init; }

    /// <summary>Most tokens in one decode (prompt chunks are cut to fit).</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>CPU threads for decoding; the machine's cores by default (llama.cpp's own default is slower here).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Flash attention; null lets llama.cpp decide (it turns it on for the CPU backend). On the CPU it skips the
    /// KV cells of other sequences, which pays off with many streams; off, a long single prompt computes faster.
    /// </summary>
    public bool? FlashAttention { get; init; }

    /// <summary>Reads llama-server's <c>--flash-attn</c> values: <c>auto</c> (null), <c>on</c>, <c>off</c>.</summary>
    public static bool TryParseFlashAttention(string? text, out bool? value)
    {
        value = text?.ToLowerInvariant() switch
        {
            "on" => true,
            "off" => false,
            _ => null,
        };
        return value is not null || text is null || text.Equals("auto", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Parallel sequences (slots).</summary>
    public int Parallel { get; init; } = 4;

    /// <summary>Extra sequences for named prompt caches (they share the unified KV cache with the slots).</summary>
    public int CacheSequences { get; init; }
}

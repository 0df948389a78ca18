namespace AbstractEndpoint.Jinja;

/// <summary>
/// How templates are parsed and rendered, and the limits that keep a hostile template (a GGUF file is untrusted
/// input) from hanging or exhausting the process. The defaults model Hugging Face transformers' chat-template
/// environment: <c>trim_blocks</c>, <c>lstrip_blocks</c>, loop controls, and <c>tojson</c> keeping non-ASCII text.
/// </summary>
public sealed record JinjaOptions
{
    /// <summary>The defaults: HF transformers' environment, 1M loop iterations, 10 MB output, depth 200.</summary>
    public static JinjaOptions Default { get; } = new();

    /// <summary>Remove the first newline after a block tag (Jinja2 <c>trim_blocks</c>). Default true, as in HF.</summary>
    public bool TrimBlocks { get; init; } = true;

    /// <summary>Strip spaces and tabs from the start of a line up to a block tag (Jinja2 <c>lstrip_blocks</c>). Default true.</summary>
    public bool LstripBlocks { get; init; } = true;

    /// <summary>Keep a single trailing newline of the template source (Jinja2 <c>keep_trailing_newline</c>). Default false.</summary>
    public bool KeepTrailingNewline { get; init; }

    /// <summary>Total loop iterations per render, counting <c>for</c> loops and items walked by filters. Default 1,000,000.</summary>
    public long MaxLoopIterations { get; init; } = 1_000_000;

    /// <summary>Maximum length, in UTF-16 characters, of the output and of any single string or list built. Default 10,000,000.</summary>
    public int MaxOutputLength { get; init; } = 10_000_000;

    /// <summary>Total characters and list items a render may allocate through string and list operations. Default 100,000,000.</summary>
    public long MaxAllocatedLength { get; init; } = 100_000_000;

    /// <summary>Maximum depth of macro calls at render time and of statement/expression nesting at parse time. Default 200.</summary>
    public int MaxRecursionDepth { get; init; } = 200;

    /// <summary>The clock behind <c>strftime_now(format)</c>. Default: the local time of the machine, like transformers.</summary>
    public Func<DateTimeOffset> Clock { get; init; } = static () => DateTimeOffset.Now;

    /// <summary>
    /// Replaces <c>strftime_now</c> entirely: receives the format and returns the text. Null (the default) formats
    /// <see cref="Clock"/> with Python's <c>strftime</c> rules. Tests use it to pin the date as the reference does.
    /// </summary>
    public Func<string, string>? StrftimeNow { get; init; }
}

namespace AbstractEndpoint.StructuredOutput.Formats;

/// <summary>
/// Every tool-call family, once. The order is the detection order: more specific markup first (GLM and Qwen3-Coder
/// also write <c>&lt;tool_call&gt;</c>; Functionary and FireFunction also use Llama 3 headers), the generic JSON
/// format last, as it matches any template.
/// </summary>
internal static class ToolCallFamilies
{
    public static IReadOnlyList<ToolCallFamily> All { get; } =
    [
        new GptOssFamily(),
        new DeepSeekFamily(r1: true),
        new DeepSeekFamily(r1: false),
        new KimiK2Family(),
        new Glm45Family(),
        new Qwen3CoderFamily(),
        new HermesFamily(),
        new MistralFamily(arrayForm: false),
        new MistralFamily(arrayForm: true),
        ArrayCallFamily.CommandR7B,
        ArrayCallFamily.CommandR,
        ArrayCallFamily.Granite,
        ArrayCallFamily.FireFunctionV2,
        new FunctionaryV32Family(),
        new FunctionaryV31Family(),
        new Llama3JsonFamily(),
        new GenericFamily(),
    ];

    private static readonly Dictionary<ToolCallFormat, ToolCallFamily> ByFormat = All.ToDictionary(f => f.Format);

    public static ToolCallFamily For(ToolCallFormat format) =>
        ByFormat.TryGetValue(format, out var family) ? family : throw new ArgumentOutOfRangeException(nameof(format), format, "unknown tool-call format");

    /// <summary>The first family whose markup the template shows; no template at all means the generic format.</summary>
    public static ToolCallFamily Detect(string? chatTemplate) =>
        string.IsNullOrWhiteSpace(chatTemplate) ? For(ToolCallFormat.Generic) : All.First(f => f.Detects(chatTemplate));
}

namespace AbstractEndpoint.StructuredOutput.Formats;

/// <summary>The syntax object for each format (stateless, shared).</summary>
internal static class OutputSyntaxes
{
    private static readonly Dictionary<ToolCallFormat, OutputSyntax> All = new OutputSyntax[]
    {
        new GenericSyntax(),
        new HermesSyntax(),
        new Qwen3CoderSyntax(),
        new Glm45Syntax(),
        new Llama3JsonSyntax(),
        new FunctionaryV31Syntax(),
        new FunctionaryV32Syntax(),
        new MistralSyntax(arrayForm: true),
        new MistralSyntax(arrayForm: false),
        new DeepSeekSyntax(r1: true),
        new DeepSeekSyntax(r1: false),
        ArrayCallSyntax.CommandR,
        ArrayCallSyntax.CommandR7B,
        ArrayCallSyntax.Granite,
        ArrayCallSyntax.FireFunctionV2,
        new KimiK2Syntax(),
        new GptOssSyntax(),
    }.ToDictionary(s => s.Format);

    public static OutputSyntax For(ToolCallFormat format) =>
        All.TryGetValue(format, out var syntax) ? syntax : throw new ArgumentOutOfRangeException(nameof(format), format, "unknown tool-call format");
}

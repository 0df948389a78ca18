using AbstractEndpoint.StructuredOutput;

namespace AbstractEndpoint.Engine.Output;

/// <summary>What the served model writes, detected once from its chat template.</summary>
/// <param name="Format">The tool-call markup of the model's family.</param>
/// <param name="Reasons">The template knows the family's reasoning block, so forced calls may be preceded by one.</param>
/// <param name="ReasoningFormat">Whether reasoning is split out of the content (<c>--reasoning-format</c>).</param>
public sealed record ModelOutputFormat(ToolCallFormat Format, bool Reasons, ReasoningFormat ReasoningFormat)
{
    /// <summary>Detects the format from the template source (null or empty: the generic JSON format).</summary>
    public static ModelOutputFormat Detect(string? chatTemplate, ReasoningFormat reasoningFormat)
    {
        var format = ToolCallFormatDetector.Detect(chatTemplate);
        return new ModelOutputFormat(format, ToolCallFormatDetector.TemplateSupportsReasoning(format, chatTemplate), reasoningFormat);
    }
}

using AbstractEndpoint.StructuredOutput.Formats;

namespace AbstractEndpoint.StructuredOutput;

/// <summary>
/// Picks the tool-call format from a chat template's source text, by the markup the template itself writes when
/// it renders assistant tool calls (or describes in its system prompt). Each family knows its own markup; the
/// families are asked in <see cref="ToolCallFamilies.All"/> order, more specific markup first.
/// </summary>
public static class ToolCallFormatDetector
{
    public static ToolCallFormat Detect(string? chatTemplate) => ToolCallFamilies.Detect(chatTemplate).Format;

    /// <summary>
    /// Whether a model with this template reasons before answering in <paramref name="format"/>'s markup: its
    /// template writes the family's opening reasoning tag (e.g. <c>&lt;think&gt;</c>), or the family reasons in a
    /// channel of its own (gpt-oss). Forced-call grammars only allow a reasoning block for such models.
    /// </summary>
    public static bool TemplateSupportsReasoning(ToolCallFormat format, string? chatTemplate)
    {
        var tags = ToolCallFamilies.For(format).Reasoning;
        if (tags is null)
        {
            return false;
        }

        return tags.Open is null || (chatTemplate?.Contains(tags.Open, StringComparison.Ordinal) ?? false);
    }
}

using AbstractEndpoint.StructuredOutput.Formats;

namespace AbstractEndpoint.StructuredOutput;

/// <summary>
/// Picks the tool-call format from a chat template's source text, by the markup the template itself writes when
/// it renders assistant tool calls (or describes in its system prompt). More specific markers are checked first:
/// GLM and Qwen3-Coder also contain <c>&lt;tool_call&gt;</c>, Functionary and FireFunction also use Llama 3 headers.
/// </summary>
public static class ToolCallFormatDetector
{
    public static ToolCallFormat Detect(string? chatTemplate)
    {
        if (string.IsNullOrWhiteSpace(chatTemplate))
        {
            return ToolCallFormat.Generic;
        }

        bool Has(string s) => chatTemplate.Contains(s, StringComparison.Ordinal);

        if (Has("<|channel|>") && Has("<|message|>"))
        {
            return ToolCallFormat.GptOss;
        }

        if (Has("tool▁calls▁begin") || Has("tool▁call▁begin"))
        {
            // R1 puts the name after the separator and fences the arguments; V3.1 does neither.
            return Has("```json") ? ToolCallFormat.DeepSeekR1 : ToolCallFormat.DeepSeekV31;
        }

        if (Has("<|tool_calls_section_begin|>") || Has("<|tool_call_begin|>"))
        {
            return ToolCallFormat.KimiK2;
        }

        if (Has("<arg_key>"))
        {
            return ToolCallFormat.Glm45;
        }

        if (Has("<function=") && Has("<parameter="))
        {
            return ToolCallFormat.Qwen3Coder;
        }

        if (Has("<tool_call>"))
        {
            return ToolCallFormat.Hermes;
        }

        if (Has("[TOOL_CALLS]"))
        {
            return Has("[ARGS]") ? ToolCallFormat.Mistral : ToolCallFormat.MistralNemo;
        }

        if (Has("<|START_ACTION|>"))
        {
            return ToolCallFormat.CommandR7B;
        }

        if (Has("Action:") && (Has("tool_name") || Has("directly-answer")))
        {
            return ToolCallFormat.CommandR;
        }

        if (Has("<|tool_call|>"))
        {
            return ToolCallFormat.Granite;
        }

        if (Has("functools["))
        {
            return ToolCallFormat.FireFunctionV2;
        }

        if (Has(">>>all") || (Has(">>>") && Has("recipient")))
        {
            return ToolCallFormat.FunctionaryV32;
        }

        if (Has("<function="))
        {
            return ToolCallFormat.FunctionaryV31;
        }

        if (Has("<|start_header_id|>") && (Has("<|python_tag|>") || Has("\"parameters\"") || Has("ipython")))
        {
            return ToolCallFormat.Llama3Json;
        }

        return ToolCallFormat.Generic;
    }

    /// <summary>
    /// Whether a model with this template reasons before answering in <paramref name="format"/>'s markup: its
    /// template writes the family's opening reasoning tag (e.g. <c>&lt;think&gt;</c>), or the family reasons in a
    /// channel of its own (gpt-oss). Forced-call grammars only allow a reasoning block for such models.
    /// </summary>
    public static bool TemplateSupportsReasoning(ToolCallFormat format, string? chatTemplate)
    {
        var tags = OutputSyntaxes.For(format).Reasoning;
        if (tags is null)
        {
            return false;
        }

        return tags.Open is null || (chatTemplate?.Contains(tags.Open, StringComparison.Ordinal) ?? false);
    }
}

using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AbstractEndpoint.Core.Chat;

namespace AbstractEndpoint.Prompting.Templates;

/// <summary>
/// The one mapping from a <see cref="ReasoningControl"/> to the switches chat templates read: <c>enable_thinking</c>
/// (Qwen3, SmolLM3, GLM, Command R7B, DeepSeek-R1 distills, QwQ), <c>thinking</c> (DeepSeek-V3.1, Granite) and
/// <c>reasoning_effort</c> (gpt-oss: <c>low</c>, <c>medium</c>, <c>high</c>). Only the switches a template mentions
/// are set, so a template that uses one of these names for something else is never handed a surprise; variables
/// the client set itself (<c>chat_template_kwargs</c>) always win.
/// </summary>
public sealed partial class ReasoningTemplateVariables
{
    private const string EnableThinking = "enable_thinking";
    private const string Thinking = "thinking";
    private const string ReasoningEffortName = "reasoning_effort";

    private readonly bool _enableThinking;
    private readonly bool _thinking;
    private readonly bool _reasoningEffort;

    private ReasoningTemplateVariables(bool enableThinking, bool thinking, bool reasoningEffort)
    {
        _enableThinking = enableThinking;
        _thinking = thinking;
        _reasoningEffort = reasoningEffort;
    }

    /// <summary>True when the template reads at least one reasoning switch.</summary>
    public bool HasSwitch => _enableThinking || _thinking || _reasoningEffort;

    /// <summary>
    /// The switches a template reads (null or built-in ChatML: none): names used as variables inside its
    /// <c>{% %}</c> and <c>{{ }}</c> tags, so neither prose (comments, strings such as "explain your thinking") nor
    /// message keys (<c>message.thinking</c>, <c>"thinking" in message</c>) count.
    /// </summary>
    public static ReasoningTemplateVariables Detect(string? templateSource)
    {
        if (templateSource is null)
        {
            return new(false, false, false);
        }

        var code = string.Join('\n', JinjaTag().Matches(templateSource).Select(tag => StringLiteral().Replace(tag.Groups[1].Value, "''")));
        var names = Variable().Matches(code).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        return new(names.Contains(EnableThinking), names.Contains(Thinking), names.Contains(ReasoningEffortName));
    }

    /// <summary>
    /// The template variables for a request: <paramref name="clientVariables"/> plus the switches the control sets
    /// (only the ones the template reads, and only those the client did not set).
    /// </summary>
    public IReadOnlyDictionary<string, JsonNode?> Apply(ReasoningControl? control, IReadOnlyDictionary<string, JsonNode?> clientVariables)
    {
        if (control is null || !HasSwitch)
        {
            return clientVariables;
        }

        var variables = new Dictionary<string, JsonNode?>(clientVariables);
        if (_enableThinking)
        {
            variables.TryAdd(EnableThinking, JsonValue.Create(control.Enabled));
        }

        if (_thinking)
        {
            variables.TryAdd(Thinking, JsonValue.Create(control.Enabled));
        }

        // gpt-oss always reasons and knows three levels: "off" asks for the least, and a bare "on" keeps its default.
        if (_reasoningEffort && (control.Effort is not null || !control.Enabled))
        {
            var level = !control.Enabled ? "low" : control.Effort switch
            {
                ReasoningEffort.Minimal or ReasoningEffort.Low => "low",
                ReasoningEffort.Medium => "medium",
                _ => "high",
            };
            variables.TryAdd(ReasoningEffortName, JsonValue.Create(level));
        }

        return variables;
    }

    [GeneratedRegex(@"\{[{%](.*?)[}%]\}", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex JinjaTag();

    [GeneratedRegex(@"'(?:[^'\\]|\\.)*'|""(?:[^""\\]|\\.)*""", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex StringLiteral();

    /// <summary>A bare name: not an attribute (<c>x.thinking</c>) and not a call.</summary>
    [GeneratedRegex(@"(?<![\w.])(?:enable_thinking|thinking|reasoning_effort)\b(?!\s*\()", RegexOptions.CultureInvariant)]
    private static partial Regex Variable();
}

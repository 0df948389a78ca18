using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Prompting.Templates;
using AbstractEndpoint.TestSupport;

namespace AbstractEndpoint.Prompting.Tests.Templates;

/// <summary>The one mapping from a reasoning control to the switches each family's template reads.</summary>
public sealed class ReasoningTemplateVariablesTests
{
    private static readonly Dictionary<string, JsonNode?> NoVariables = [];

    [SkippableTheory]
    [InlineData("Qwen-Qwen3-0.6B.jinja", true, false, false)]
    [InlineData("HuggingFaceTB-SmolLM3-3B.jinja", true, false, false)]
    [InlineData("GLM-4.6.jinja", true, false, false)]
    [InlineData("deepseek-ai-DeepSeek-V3.1.jinja", true, true, false)]
    [InlineData("ibm-granite-granite-3.3-2B-Instruct.jinja", false, true, false)]
    [InlineData("openai-gpt-oss-120b.jinja", false, false, true)] // "thinking" there is a message key only
    [InlineData("mistralai-Ministral-3-14B-Reasoning-2512.jinja", false, false, false)] // 'thinking' is a content-part type
    [InlineData("meta-llama-Llama-3.1-8B-Instruct.jinja", false, false, false)]
    public void Detects_the_switches_each_shared_template_reads(string file, bool enableThinking, bool thinking, bool effort)
    {
        var path = SharedAssets.File("templates", file);
        Skip.If(path is null, SharedAssets.MissingReason);
        var switches = ReasoningTemplateVariables.Detect(File.ReadAllText(path!));

        var variables = switches.Apply(ReasoningControl.Off, NoVariables);

        Assert.Equal(enableThinking, variables.ContainsKey("enable_thinking"));
        Assert.Equal(thinking, variables.ContainsKey("thinking"));
        Assert.Equal(effort, variables.ContainsKey("reasoning_effort"));
        Assert.Equal(enableThinking || thinking || effort, switches.HasSwitch);
    }

    [Theory]
    [InlineData(false, null, false, "low")]
    [InlineData(true, ReasoningEffort.Minimal, true, "low")]
    [InlineData(true, ReasoningEffort.Low, true, "low")]
    [InlineData(true, ReasoningEffort.Medium, true, "medium")]
    [InlineData(true, ReasoningEffort.High, true, "high")]
    [InlineData(true, ReasoningEffort.ExtraHigh, true, "high")]
    public void Maps_a_control_onto_every_switch(bool enabled, ReasoningEffort? effort, bool expectedFlag, string expectedEffort)
    {
        var switches = ReasoningTemplateVariables.Detect(
            "{% if enable_thinking %}a{% endif %}{% if not thinking %}b{% endif %}{{ reasoning_effort }}");

        var variables = switches.Apply(new ReasoningControl(enabled, effort), NoVariables);

        Assert.Equal(expectedFlag, variables["enable_thinking"]!.GetValue<bool>());
        Assert.Equal(expectedFlag, variables["thinking"]!.GetValue<bool>());
        Assert.Equal(expectedEffort, variables["reasoning_effort"]!.GetValue<string>());
    }

    [Fact]
    public void A_bare_on_keeps_the_templates_default_effort()
    {
        var switches = ReasoningTemplateVariables.Detect("{{ reasoning_effort }}");

        Assert.False(switches.Apply(ReasoningControl.On, NoVariables).ContainsKey("reasoning_effort"));
    }

    [Fact]
    public void Chat_template_kwargs_win()
    {
        var switches = ReasoningTemplateVariables.Detect("{% if enable_thinking %}a{% endif %}");
        var client = new Dictionary<string, JsonNode?> { ["enable_thinking"] = JsonValue.Create(true) };

        var variables = switches.Apply(ReasoningControl.Off, client);

        Assert.True(variables["enable_thinking"]!.GetValue<bool>());
    }

    [Fact]
    public void No_control_or_no_switch_leaves_the_variables_alone()
    {
        var client = new Dictionary<string, JsonNode?> { ["x"] = JsonValue.Create(1) };

        Assert.Same(client, ReasoningTemplateVariables.Detect("{% if enable_thinking %}{% endif %}").Apply(null, client));
        Assert.Same(client, ReasoningTemplateVariables.Detect("{{ messages }}").Apply(ReasoningControl.Off, client));
        Assert.False(ReasoningTemplateVariables.Detect(null).HasSwitch);
    }
}

using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.StructuredOutput.Tests.Gbnf;

namespace AbstractEndpoint.StructuredOutput.Tests.Tools;

/// <summary>
/// The switches the server needs around reasoning and tool offers: forced calls without a reasoning block for
/// models that do not reason, and parsing without call extraction when no tools were offered.
/// </summary>
public sealed class ReasoningAndToolsOptionsTests
{
    private static readonly ToolDefinition[] Tools =
    [
        TestTools.Define("get_weather", JsonNode.Parse("""{"type":"object","properties":{"city":{"type":"string","maxLength":8}},"required":["city"]}""")),
    ];

    [Theory]
    [InlineData(ToolCallFormat.Hermes, "<tool_call>{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Rome\"}}</tool_call>")]
    [InlineData(ToolCallFormat.Generic, "{\"tool_calls\": [{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Rome\"}}]}")]
    public void Without_reasoning_a_forced_call_starts_with_the_call(ToolCallFormat format, string call)
    {
        var withReasoning = new GbnfRecognizer(ToolCallGrammar.Build(format, Tools, ToolChoice.Required, false)!.Gbnf);
        var without = new GbnfRecognizer(ToolCallGrammar.Build(format, Tools, ToolChoice.Required, false, allowReasoning: false)!.Gbnf);

        Assert.True(withReasoning.Accepts("<think>Rome.</think>\n" + call));
        Assert.True(withReasoning.Accepts(call));
        Assert.False(without.Accepts("<think>Rome.</think>\n" + call));
        Assert.True(without.Accepts(call));
    }

    [Fact]
    public void A_prompt_that_opened_the_reasoning_still_lets_it_close()
    {
        var spec = ToolCallGrammar.Build(ToolCallFormat.Hermes, Tools, ToolChoice.Required, false, startsInReasoning: true, allowReasoning: false)!;

        Assert.True(new GbnfRecognizer(spec.Gbnf).Accepts(
            "Rome it is.</think>\n<tool_call>{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Rome\"}}</tool_call>"));
    }

    [Fact]
    public void Lazy_grammars_are_the_same_either_way()
    {
        var on = ToolCallGrammar.Build(ToolCallFormat.Hermes, Tools, ToolChoice.Auto, false)!;
        var off = ToolCallGrammar.Build(ToolCallFormat.Hermes, Tools, ToolChoice.Auto, false, allowReasoning: false)!;

        Assert.Equal(on.Gbnf, off.Gbnf);
        Assert.Equal(on.TriggerPatterns, off.TriggerPatterns);
    }

    [Theory]
    [InlineData(ToolCallFormat.Hermes, "{{ '<tool_call>' }}{% if enable_thinking %}<think>{% endif %}", true)]
    [InlineData(ToolCallFormat.Hermes, "{{ '<tool_call>' }}", false)]
    [InlineData(ToolCallFormat.Generic, null, false)]
    [InlineData(ToolCallFormat.Generic, "<think>", true)]
    [InlineData(ToolCallFormat.GptOss, "<|channel|>", true)]
    [InlineData(ToolCallFormat.MistralNemo, "[TOOL_CALLS]<think>", false)]
    public void Templates_that_reason(ToolCallFormat format, string? template, bool reasons)
    {
        Assert.Equal(reasons, ToolCallFormatDetector.TemplateSupportsReasoning(format, template));
    }

    [Theory]
    [InlineData(ToolCallFormat.Generic, "{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Rome\"}}")]
    [InlineData(ToolCallFormat.Hermes, "Sure: <tool_call>{\"name\": \"get_weather\", \"arguments\": {}}</tool_call>")]
    public void Without_tools_call_markup_is_content_and_reasoning_is_still_split(ToolCallFormat format, string answer)
    {
        var parser = new StreamingOutputParser(format, parseToolCalls: false);
        var events = new List<ChoiceUpdate>();
        foreach (var piece in Chunks("<think>Plan.</think>" + answer, 3))
        {
            events.AddRange(parser.Feed(piece));
        }

        events.AddRange(parser.Complete());

        var done = parser.Result!;
        Assert.Empty(done.ToolCalls);
        Assert.DoesNotContain(events, e => e is ToolCallDelta);
        Assert.Equal(answer, done.Content);
        Assert.Equal("Plan.", done.Reasoning);
    }

    private static IEnumerable<string> Chunks(string text, int size)
    {
        for (var i = 0; i < text.Length; i += size)
        {
            yield return text.Substring(i, Math.Min(size, text.Length - i));
        }
    }
}

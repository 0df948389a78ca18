using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Tests.Fakes;
using AbstractEndpoint.Engine.Tests.Support;
using AbstractEndpoint.StructuredOutput;
using ContentDelta = AbstractEndpoint.Core.Generation.ContentDelta;
using ReasoningDelta = AbstractEndpoint.Core.Generation.ReasoningDelta;
using ToolCallFailed = AbstractEndpoint.Core.Generation.ToolCallFailed;
using ToolChoice = AbstractEndpoint.Core.Chat.ToolChoice;
using ToolDefinition = AbstractEndpoint.Core.Chat.ToolDefinition;

namespace AbstractEndpoint.Engine.Tests.Output;

/// <summary>
/// The backend's side of tool calls and structured output, on the fake model: which grammar a request gets, and
/// how the model's text becomes content, reasoning and tool-call updates (per choice, with the finish reason).
/// </summary>
public sealed class StructuredOutputBackendTests : IDisposable
{
    private const int ContextSize = 512;

    private static readonly ToolDefinition Weather = Tool("get_weather", """
        {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}
        """);

    private static readonly ToolDefinition Time = Tool("get_time", null);

    private readonly List<BackendHarness> _harnesses = [];

    public void Dispose() => _harnesses.ForEach(h => h.Dispose());

    [Fact]
    public async Task A_call_streams_as_call_deltas_never_as_content_and_ends_with_tool_calls()
    {
        var harness = Harness();
        var request = Ask() with { Tools = [Weather, Time] };
        Script(harness, request, """{"tool_calls":[{"name":"get_weather","arguments":{"city":"Paris"}}]}""");

        var updates = await CollectAsync(harness, request);

        Assert.DoesNotContain(updates, u => u is ContentDelta);
        var calls = updates.OfType<ToolCallDelta>().ToList();
        var start = calls[0];
        Assert.Matches("^call_[A-Za-z0-9]{24}$", start.Id);
        Assert.Equal(("get_weather", "", 0), (start.Name, start.ArgumentsFragment, start.Index));
        Assert.All(calls.Skip(1), c => Assert.Equal((0, null, null), (c.Index, c.Id, c.Name)));
        var arguments = string.Concat(calls.Select(c => c.ArgumentsFragment));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"city":"Paris"}"""), JsonNode.Parse(arguments)));
        Assert.Equal(FinishReason.ToolCalls, Assert.IsType<ChatFinished>(updates[^1]).Reason);
    }

    [Fact]
    public void Auto_gets_a_lazy_grammar_with_triggers_required_and_named_a_strict_one()
    {
        var harness = Harness();
        var auto = harness.Backend.CreateJob(Ask() with { Tools = [Weather, Time] }, CancellationToken.None).Sampling.Grammar!;
        var required = harness.Backend.CreateJob(Ask() with { Tools = [Weather, Time], ToolChoice = ToolChoice.Required }, CancellationToken.None).Sampling.Grammar!;
        var named = harness.Backend.CreateJob(Ask() with { Tools = [Weather, Time], ToolChoice = ToolChoice.Function("get_time") }, CancellationToken.None).Sampling.Grammar!;

        Assert.True(auto.Lazy);
        Assert.NotEmpty(auto.TriggerPatterns);
        Assert.False(required.Lazy);
        Assert.Contains("get_weather", required.Gbnf, StringComparison.Ordinal);
        Assert.Contains("get_time", required.Gbnf, StringComparison.Ordinal);
        Assert.False(named.Lazy);
        Assert.DoesNotContain("get_weather", named.Gbnf, StringComparison.Ordinal);
        // The model's template shows no reasoning, so a forced call cannot start with a <think> block it would never close.
        Assert.DoesNotContain("think", required.Gbnf, StringComparison.Ordinal);
        Assert.Equal([auto, required, named], harness.Vocabulary.ValidatedGrammars);
    }

    [Fact]
    public async Task Tool_choice_none_has_no_grammar_and_call_markup_stays_content()
    {
        var harness = Harness();
        var request = Ask() with { ToolChoice = ToolChoice.None }; // the protocol layer already dropped the tools
        const string text = """{"name":"get_weather","arguments":{"city":"Paris"}}""";
        Script(harness, request, text);

        var updates = await CollectAsync(harness, request);

        Assert.Null(harness.Backend.CreateJob(request, CancellationToken.None).Sampling.Grammar);
        Assert.DoesNotContain(updates, u => u is ToolCallDelta);
        Assert.Equal(text, Content(updates));
        Assert.Equal(FinishReason.Stop, Assert.IsType<ChatFinished>(updates[^1]).Reason);
    }

    [Fact]
    public async Task Json_schema_constrains_the_whole_reply_and_a_json_reply_is_content()
    {
        var harness = Harness();
        var request = Ask() with
        {
            ResponseFormat = ResponseFormat.JsonSchema("person", JsonNode.Parse("""{"type":"object","properties":{"name":{"type":"string"}}}"""), strict: true),
        };
        Script(harness, request, """{"name":"Bob"}""");

        var updates = await CollectAsync(harness, request);

        var grammar = harness.Backend.CreateJob(request, CancellationToken.None).Sampling.Grammar!;
        Assert.False(grammar.Lazy);
        Assert.Equal("root", grammar.Root);
        Assert.Contains("\\\"name\\\"", grammar.Gbnf, StringComparison.Ordinal);
        Assert.Equal("""{"name":"Bob"}""", Content(updates));
    }

    [Fact]
    public void Json_object_gets_the_any_object_grammar()
    {
        var grammar = Harness().Backend.CreateJob(Ask() with { ResponseFormat = ResponseFormat.JsonObject }, CancellationToken.None).Sampling.Grammar!;

        Assert.Equal(JsonSchemaGrammar.AnyJsonObject, grammar.Gbnf);
    }

    [Fact]
    public void Invalid_response_schema_is_a_400_naming_the_schema()
    {
        var request = Ask() with { ResponseFormat = ResponseFormat.JsonSchema("bad", JsonNode.Parse("""{"type":"frobnicate"}"""), strict: false) };

        var error = Assert.Throws<InvalidRequestException>(() => Harness().Backend.CreateJob(request, CancellationToken.None));

        Assert.Equal("response_format.json_schema.schema", error.Param);
        Assert.Equal("invalid_value", error.Code);
        Assert.StartsWith("Invalid schema for response_format 'bad': ", error.Message, StringComparison.Ordinal);
        Assert.IsType<SchemaConversionException>(error.InnerException);
    }

    [Fact]
    public void Invalid_tool_schema_is_a_400_naming_that_tool()
    {
        var broken = Tool("broken", """{"type":"frobnicate"}""");
        var request = Ask() with { Tools = [Weather, broken], ToolChoice = ToolChoice.Required };

        var error = Assert.Throws<InvalidRequestException>(() => Harness().Backend.CreateJob(request, CancellationToken.None));

        Assert.Equal("tools[1].function.parameters", error.Param);
        Assert.Contains("'broken'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_grammar_the_sampler_refuses_is_a_400_before_anything_is_queued()
    {
        var harness = Harness();
        harness.Vocabulary.GrammarProblem = "llama.cpp could not parse the grammar";

        var error = Assert.Throws<InvalidRequestException>(
            () => harness.Backend.CreateJob(Ask() with { ResponseFormat = ResponseFormat.JsonObject }, CancellationToken.None));

        Assert.Equal("response_format", error.Param);
        Assert.Contains("could not parse", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, harness.Loop.Pending);
    }

    [Fact]
    public void Json_reply_with_tools_on_auto_is_refused()
    {
        var request = Ask() with { Tools = [Weather], ResponseFormat = ResponseFormat.JsonObject };

        var error = Assert.Throws<InvalidRequestException>(() => Harness().Backend.CreateJob(request, CancellationToken.None));

        Assert.Equal("response_format", error.Param);
        Assert.Equal("unsupported_parameter", error.Code);
    }

    [Fact]
    public void Json_reply_with_a_forced_call_gets_the_call_grammar()
    {
        var request = Ask() with { Tools = [Weather], ToolChoice = ToolChoice.Required, ResponseFormat = ResponseFormat.JsonObject };

        var grammar = Harness().Backend.CreateJob(request, CancellationToken.None).Sampling.Grammar!;

        Assert.Contains("get_weather", grammar.Gbnf, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reasoning_is_streamed_apart_from_the_content()
    {
        var harness = Harness();
        var request = Ask();
        Script(harness, request, "<think>Short question.</think>\n\nHello!");

        var updates = await CollectAsync(harness, request);

        Assert.Equal("Short question.", string.Concat(updates.OfType<ReasoningDelta>().Select(r => r.Text)));
        Assert.Equal("Hello!", Content(updates)); // the blank line after the reasoning is not content
        Assert.Null(harness.Backend.CreateJob(request, CancellationToken.None).Sampling.Grammar);
    }

    [Fact]
    public async Task Reasoning_format_none_leaves_reasoning_in_the_content()
    {
        var harness = Harness(new LocalChatBackendOptions { ReasoningFormat = ReasoningFormat.None });
        var request = Ask();
        Script(harness, request, "<think>Hmm.</think>Hello!");

        var updates = await CollectAsync(harness, request);

        Assert.DoesNotContain(updates, u => u is ReasoningDelta);
        Assert.Equal("<think>Hmm.</think>Hello!", Content(updates));
    }

    [Fact]
    public async Task Each_choice_parses_its_own_calls_under_its_own_index()
    {
        var harness = Harness(sequenceCount: 2);
        var request = Ask() with { Tools = [Weather], ToolChoice = ToolChoice.Required, Choices = 2 };
        Script(harness, request, """{"tool_calls":[{"name":"get_weather","arguments":{"city":"Rome"}}]}""");

        var updates = await CollectAsync(harness, request);

        var starts = updates.OfType<ToolCallDelta>().Where(d => d.Id is not null).ToList();
        Assert.Equal([0, 1], starts.Select(s => s.Choice).Order());
        Assert.NotEqual(starts[0].Id, starts[1].Id);
        foreach (var choice in new[] { 0, 1 })
        {
            var arguments = string.Concat(updates.OfType<ToolCallDelta>().Where(d => d.Choice == choice).Select(d => d.ArgumentsFragment));
            Assert.Equal("""{"city":"Rome"}""", arguments);
        }

        Assert.All(updates.OfType<ChatFinished>(), f => Assert.Equal(FinishReason.ToolCalls, f.Reason));
    }

    [Fact]
    public async Task A_call_cut_off_by_max_tokens_fails_and_the_reply_ends_by_length()
    {
        var harness = Harness();
        var request = Ask(maxTokens: 55) with { Tools = [Weather], ToolChoice = ToolChoice.Required };
        Script(harness, request, """{"tool_calls":[{"name":"get_weather","arguments":{"city":"A very long city name"}}]}""");

        var updates = await CollectAsync(harness, request);

        Assert.Contains(updates, u => u is ToolCallFailed { Index: 0 });
        Assert.Equal(FinishReason.Length, Assert.IsType<ChatFinished>(updates[^1]).Reason);
        Assert.Equal("", Content(updates));
    }

    [Fact]
    public async Task Control_token_markers_are_rendered_for_the_parser_and_never_reach_the_content()
    {
        // Mistral's calls start with [TOOL_CALLS], a control token that plain detokenizing drops.
        var harness = Harness(new LocalChatBackendOptions { ChatTemplateSource = "{{ '[TOOL_CALLS]' + name + '[ARGS]' + arguments }}" });
        var toolCalls = harness.Vocabulary.DefineControl("[TOOL_CALLS]");
        var args = harness.Vocabulary.DefineControl("[ARGS]");
        var request = Ask() with { Tools = [Weather] };
        var prompt = harness.Backend.CreateJob(request, CancellationToken.None);
        harness.Runtime.NextToken = ScriptedModel.Reply(
            prompt.PromptTokens.Count,
            [.. FakeVocabulary.BytesOf("Sure."), toolCalls, .. FakeVocabulary.BytesOf("get_weather"), args, .. FakeVocabulary.BytesOf("""{"city":"Oslo"}""")]);

        var updates = await CollectAsync(harness, request);

        Assert.Equal(ToolCallFormat.Mistral, harness.Backend.OutputFormat.Format);
        Assert.True(prompt.RenderSpecialTokens);
        Assert.Equal("Sure.", Content(updates));
        Assert.Equal("get_weather", updates.OfType<ToolCallDelta>().First().Name);
        Assert.Equal("""{"city":"Oslo"}""", string.Concat(updates.OfType<ToolCallDelta>().Select(d => d.ArgumentsFragment)));
    }

    [Fact]
    public async Task An_end_of_generation_control_token_still_ends_the_reply_and_is_never_text()
    {
        var harness = Harness(new LocalChatBackendOptions { ChatTemplateSource = "[TOOL_CALLS][ARGS]" });
        var end = harness.Vocabulary.DefineControl("<|im_end|>");
        harness.Vocabulary.MarkEndOfGeneration(end);
        var request = Ask() with { Tools = [Weather] };
        var job = harness.Backend.CreateJob(request, CancellationToken.None);
        harness.Runtime.NextToken = ScriptedModel.Reply(
            job.PromptTokens.Count, [.. FakeVocabulary.BytesOf("Done."), end, .. FakeVocabulary.BytesOf("never")]);

        var updates = await CollectAsync(harness, request);

        Assert.True(job.RenderSpecialTokens);
        Assert.Equal("Done.", Content(updates));
        var finished = Assert.IsType<ChatFinished>(updates[^1]);
        Assert.Equal(FinishReason.Stop, finished.Reason);
        Assert.Equal(5, finished.Usage.CompletionTokens);
    }

    [Fact]
    public void Plain_requests_render_no_special_tokens()
    {
        var job = Harness().Backend.CreateJob(Ask(), CancellationToken.None);

        Assert.False(job.RenderSpecialTokens);
        Assert.Equal(ToolCallFormat.Generic, Harness().Backend.OutputFormat.Format);
    }

    [Fact]
    public void The_format_comes_from_the_override_template_and_its_reasoning_tags()
    {
        var format = Harness(new LocalChatBackendOptions { ChatTemplateSource = "{% if tools %}<tool_call>{% endif %}<think>" }).Backend.OutputFormat;

        Assert.Equal(new Engine.Output.ModelOutputFormat(ToolCallFormat.Hermes, Reasons: true, ReasoningFormat.Extract), format);
    }

    private static ToolDefinition Tool(string name, string? parameters)
    {
        var schema = parameters is null ? null : JsonNode.Parse(parameters)!.AsObject();
        var raw = new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = name } };
        return new ToolDefinition(name, null, schema) { Raw = raw };
    }

    private static ChatRequest Ask(int maxTokens = 200) => FakeChatTemplate.UserRequest("Weather in Paris?", maxTokens);

    private static string Content(IEnumerable<ChatUpdate> updates) => string.Concat(updates.OfType<ContentDelta>().Select(d => d.Text));

    private static void Script(BackendHarness harness, ChatRequest request, string reply)
    {
        var prompt = harness.Backend.CreateJob(request, CancellationToken.None).PromptTokens.Count;
        harness.Runtime.NextToken = ScriptedModel.Reply(prompt, FakeVocabulary.BytesOf(reply));
    }

    private static async Task<List<ChatUpdate>> CollectAsync(BackendHarness harness, ChatRequest request)
    {
        var result = new List<ChatUpdate>();
        await using var enumerator = harness.Backend.StreamAsync(request, CancellationToken.None).GetAsyncEnumerator();
        while (await enumerator.MoveNextAsync().AsTask().WaitAsync(JobEventReader.Timeout))
        {
            result.Add(enumerator.Current);
        }

        return result;
    }

    private BackendHarness Harness(LocalChatBackendOptions? options = null, int sequenceCount = 1)
    {
        var harness = new BackendHarness(ContextSize, sequenceCount, options: options);
        _harnesses.Add(harness);
        return harness;
    }
}

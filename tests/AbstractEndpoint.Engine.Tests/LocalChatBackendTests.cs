using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.Engine.Tests.Fakes;
using AbstractEndpoint.Engine.Tests.Support;

namespace AbstractEndpoint.Engine.Tests;

public sealed class LocalChatBackendTests : IDisposable
{
    private const int ContextSize = 64;

    private readonly BackendHarness _harness = new(ContextSize);
    private readonly FakeVocabulary _vocabulary;
    private readonly FakeModelRuntime _runtime;
    private readonly InferenceLoop _loop;
    private readonly LocalChatBackend _backend;

    public LocalChatBackendTests()
    {
        (_vocabulary, _runtime, _loop, _backend) = (_harness.Vocabulary, _harness.Runtime, _harness.Loop, _harness.Backend);
    }

    public void Dispose() => _harness.Dispose();

    private static async Task<List<ChatUpdate>> CollectAsync(IAsyncEnumerable<ChatUpdate> updates)
    {
        var result = new List<ChatUpdate>();
        await using var enumerator = updates.GetAsyncEnumerator();
        while (await enumerator.MoveNextAsync().AsTask().WaitAsync(JobEventReader.Timeout))
        {
            result.Add(enumerator.Current);
        }

        return result;
    }

    [Fact]
    public async Task Streams_accepted_then_text_then_one_finish()
    {
        var request = FakeChatTemplate.UserRequest("Hi", maxOutputTokens: 5);
        var prompt = _backend.CreateJob(request, CancellationToken.None).PromptTokens;

        var updates = await CollectAsync(_backend.StreamAsync(request, CancellationToken.None));

        Assert.Equal(new ChatAccepted(prompt.Count), updates[0]);
        var text = string.Concat(updates.OfType<ContentDelta>().Select(d => d.Text));
        Assert.Equal(_vocabulary.Detokenize(_runtime.ReferenceReply(prompt, 5)), text);
        var finished = Assert.IsType<ChatFinished>(updates[^1]);
        Assert.Equal(new ChatFinished(FinishReason.Length, new Usage(prompt.Count, 5, 0)), finished with { Telemetry = null });
        Assert.Single(updates.OfType<ChatFinished>());

        // The reply reports how it was scheduled (alone in its batches) and, with no cache key, nothing about caches.
        Assert.Equal(1, finished.Telemetry!.Execution.PeakBatchSize);
        Assert.True(finished.Telemetry.Execution.TimeToFirstTokenSeconds >= finished.Telemetry.Execution.QueueSeconds);
        Assert.Null(finished.Telemetry.PromptCache);
    }

    [Fact]
    public async Task Context_overflow_throws_before_anything_is_queued()
    {
        var request = FakeChatTemplate.UserRequest(new string('x', 30), maxOutputTokens: 30); // ~46 prompt tokens + 30 > 64

        var error = await Assert.ThrowsAsync<ContextOverflowException>(
            () => CollectAsync(_backend.StreamAsync(request, CancellationToken.None)).WaitAsync(JobEventReader.Timeout));

        Assert.Equal("messages", error.Param);
        Assert.Equal("context_length_exceeded", error.Code);
        Assert.Contains($"maximum context length is {ContextSize} tokens", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _loop.Pending);
        Assert.Empty(_runtime.SamplerRequests);
        Assert.Empty(_runtime.Batches);
    }

    [Fact]
    public void Prompt_that_fills_the_context_overflows_even_without_max_tokens()
    {
        var request = FakeChatTemplate.UserRequest(new string('x', ContextSize));

        Assert.Throws<ContextOverflowException>(() => _backend.CreateJob(request, CancellationToken.None));
    }

    [Fact]
    public void Without_max_tokens_the_job_may_use_the_rest_of_the_context()
    {
        var job = _backend.CreateJob(FakeChatTemplate.UserRequest("Hi"), CancellationToken.None);

        Assert.Equal(ContextSize - job.PromptTokens.Count, job.MaxNewTokens);
    }

    [Fact]
    public void Prompt_plus_max_tokens_exactly_filling_the_context_is_accepted()
    {
        var promptTokens = _backend.CreateJob(FakeChatTemplate.UserRequest("Hi"), CancellationToken.None).PromptTokens.Count;

        var job = _backend.CreateJob(FakeChatTemplate.UserRequest("Hi", ContextSize - promptTokens), CancellationToken.None);

        Assert.Equal(ContextSize - promptTokens, job.MaxNewTokens);
        Assert.Throws<ContextOverflowException>(
            () => _backend.CreateJob(FakeChatTemplate.UserRequest("Hi", ContextSize - promptTokens + 1), CancellationToken.None));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    public void Bos_appears_exactly_once(bool addsBos, bool templateWritesBos)
    {
        using var fixture = new BackendHarness(ContextSize, addsBos: addsBos, templateWritesBos: templateWritesBos);

        var tokens = fixture.Backend.CreateJob(FakeChatTemplate.UserRequest("Hi"), CancellationToken.None).PromptTokens;

        Assert.Equal(FakeVocabulary.Bos, tokens[0]);
        Assert.Single(tokens, t => t == FakeVocabulary.Bos);
        Assert.Equal(FakeVocabulary.BytesOf("user: Hi\nassistant:"), tokens.Skip(1));
    }

    [Fact]
    public void Model_without_bos_gets_none()
    {
        using var fixture = new BackendHarness(ContextSize, addsBos: false);

        var tokens = fixture.Backend.CreateJob(FakeChatTemplate.UserRequest("Hi"), CancellationToken.None).PromptTokens;

        Assert.DoesNotContain(FakeVocabulary.Bos, tokens);
    }

    [Fact]
    public void Template_gets_the_special_token_texts_tools_and_variables()
    {
        var tool = new ToolDefinition("lookup", null, null) { Raw = new JsonObject { ["type"] = "function" } };
        var request = FakeChatTemplate.UserRequest("Hi") with
        {
            Tools = [tool],
            TemplateVariables = new Dictionary<string, JsonNode?> { ["enable_thinking"] = false },
        };

        _backend.RenderPrompt(request);

        var input = _harness.Template.LastInput!;
        Assert.Equal("<s>", input.BosToken);
        Assert.Equal("</s>", input.EosToken);
        Assert.True(input.AddGenerationPrompt);
        Assert.Same(tool, Assert.Single(input.Tools));
        Assert.False(input.Variables["enable_thinking"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Refused_admission_surfaces_before_accepted()
    {
        _loop.StopAccepting();

        var updates = new List<ChatUpdate>();
        var error = await Assert.ThrowsAsync<ServerBusyException>(async () =>
        {
            await foreach (var update in _backend.StreamAsync(FakeChatTemplate.UserRequest("Hi", 3), CancellationToken.None))
            {
                updates.Add(update);
            }
        }).WaitAsync(JobEventReader.Timeout);

        Assert.Empty(updates);
        Assert.Equal("shutting_down", error.Code);
    }

    [Fact]
    public async Task Endpoint_errors_from_the_loop_are_rethrown_as_they_are()
    {
        var busy = new ServerBusyException("full", 1, "kv_cache_full");
        _runtime.SamplerFailure = busy;

        var error = await Assert.ThrowsAsync<ServerBusyException>(
            () => CollectAsync(_backend.StreamAsync(FakeChatTemplate.UserRequest("Hi", 3), CancellationToken.None)));

        Assert.Same(busy, error);
    }

    [Fact]
    public async Task Other_loop_errors_are_wrapped_with_their_cause()
    {
        var cause = new ArgumentException("bad sampler");
        _runtime.SamplerFailure = cause;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => CollectAsync(_backend.StreamAsync(FakeChatTemplate.UserRequest("Hi", 3), CancellationToken.None)));

        Assert.Same(cause, error.InnerException);
        Assert.Contains("bad sampler", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Abandoning_the_stream_frees_the_slot()
    {
        using (var hold = _runtime.HoldNextDecode())
        {
            await using var stream = _backend.StreamAsync(FakeChatTemplate.UserRequest("Hi", 40), CancellationToken.None).GetAsyncEnumerator();
            Assert.True(await stream.MoveNextAsync().AsTask().WaitAsync(JobEventReader.Timeout)); // accepted
            await hold.Entered.WaitAsync(JobEventReader.Timeout);
        } // the reader goes away while the prompt is being decoded, then the decode completes

        Assert.True(await _loop.DrainAsync(JobEventReader.Timeout));
        Assert.Single(_runtime.Batches); // no step after the one in flight
        var next = await CollectAsync(_backend.StreamAsync(FakeChatTemplate.UserRequest("Again", 2), CancellationToken.None));
        Assert.IsType<ChatFinished>(next[^1]);
    }

    [Fact]
    public async Task Cancelling_the_caller_token_ends_the_stream_with_cancellation_and_frees_the_slot()
    {
        using var cancellation = new CancellationTokenSource();
        using var hold = _runtime.HoldNextDecode();
        await using var stream = _backend.StreamAsync(FakeChatTemplate.UserRequest("Hi", 40), cancellation.Token).GetAsyncEnumerator();
        Assert.True(await stream.MoveNextAsync().AsTask().WaitAsync(JobEventReader.Timeout));
        Assert.IsType<ChatAccepted>(stream.Current);

        await hold.Entered.WaitAsync(JobEventReader.Timeout);
        await cancellation.CancelAsync();
        hold.Release();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stream.MoveNextAsync().AsTask().WaitAsync(JobEventReader.Timeout));
        Assert.True(await _loop.DrainAsync(JobEventReader.Timeout));
        Assert.Single(_runtime.Batches); // freed right after the step that was in flight
    }

    [Fact]
    public void More_choices_than_slots_is_refused_naming_n()
    {
        var request = FakeChatTemplate.UserRequest("Hi", 3) with { Choices = 2 };

        var error = Assert.Throws<InvalidRequestException>(() => _backend.CreateJob(request, CancellationToken.None));

        Assert.Equal("n", error.Param);
        Assert.Null(_harness.Template.LastInput); // refused before rendering
    }

    [Fact]
    public void Logit_bias_outside_the_vocabulary_is_refused()
    {
        var size = _vocabulary.VocabularySize;
        var inside = FakeChatTemplate.UserRequest("Hi", 3) with { Sampling = new() { LogitBias = new Dictionary<int, float> { [size - 1] = 1 } } };
        var outside = FakeChatTemplate.UserRequest("Hi", 3) with { Sampling = new() { LogitBias = new Dictionary<int, float> { [size] = 1 } } };

        Assert.NotNull(_backend.CreateJob(inside, CancellationToken.None));
        var error = Assert.Throws<InvalidRequestException>(() => _backend.CreateJob(outside, CancellationToken.None));
        Assert.Equal("logit_bias", error.Param);
    }

    [Fact]
    public void Each_choice_needs_room_for_its_own_reply()
    {
        using var fixture = new BackendHarness(ContextSize, sequenceCount: 2);
        var prompt = fixture.Backend.CreateJob(FakeChatTemplate.UserRequest("Hi"), CancellationToken.None).PromptTokens.Count;
        var room = ContextSize - prompt;

        var defaulted = fixture.Backend.CreateJob(FakeChatTemplate.UserRequest("Hi") with { Choices = 2 }, CancellationToken.None);
        var fitting = fixture.Backend.CreateJob(FakeChatTemplate.UserRequest("Hi", room / 2) with { Choices = 2 }, CancellationToken.None);

        Assert.Equal(room / 2, defaulted.MaxNewTokens);
        Assert.Equal(2, fitting.Choices);
        Assert.Throws<ContextOverflowException>(
            () => fixture.Backend.CreateJob(FakeChatTemplate.UserRequest("Hi", (room / 2) + 1) with { Choices = 2 }, CancellationToken.None));
    }

    [Fact]
    public async Task Several_choices_stream_one_finish_each_then_end()
    {
        using var fixture = new BackendHarness(ContextSize, sequenceCount: 3);
        var request = FakeChatTemplate.UserRequest("Hi", 4) with { Choices = 3 };

        var updates = await CollectAsync(fixture.Backend.StreamAsync(request, CancellationToken.None));

        Assert.IsType<ChatAccepted>(updates[0]);
        var finishes = updates.OfType<ChatFinished>().ToList();
        Assert.Equal([0, 1, 2], finishes.Select(f => f.Choice).Order());
        Assert.IsType<ChatFinished>(updates[^1]);
        var texts = updates.OfType<ContentDelta>().GroupBy(d => d.Choice).Select(g => string.Concat(g.Select(d => d.Text))).ToList();
        Assert.Equal(3, texts.Count);
        Assert.Single(texts.Distinct()); // the greedy fake gives every choice the same reply
    }
}

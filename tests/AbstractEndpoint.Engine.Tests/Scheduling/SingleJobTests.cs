using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.Engine.Tests.Fakes;
using AbstractEndpoint.Engine.Tests.Support;

namespace AbstractEndpoint.Engine.Tests.Scheduling;

public sealed class SingleJobTests : IDisposable
{
    private readonly LoopHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Streams_the_model_reply_and_reports_usage()
    {
        var prompt = FakeVocabulary.BytesOf("Hello there");
        var expected = _harness.ReferenceText(prompt, 6);

        var outcome = await _harness.RunAsync(prompt, maxNewTokens: 6);

        Assert.Equal(expected, outcome.Text);
        Assert.Equal(6, expected.Length);
        var finished = outcome.RequireFinished();
        Assert.Equal(FinishReason.Length, finished.Reason);
        Assert.Equal(new Usage(PromptTokens: 11, CompletionTokens: 6, CachedTokens: 0), finished.Usage);
        Assert.Empty(_harness.Runtime.Violations);
    }

    [Fact]
    public async Task Kv_holds_the_prompt_and_every_decoded_reply_token()
    {
        var prompt = FakeVocabulary.BytesOf("KV check");
        var reply = _harness.Runtime.ReferenceReply(prompt, 5);

        await _harness.RunAsync(prompt, maxNewTokens: 5);

        // The last sampled token is never decoded, so it has no cell.
        Assert.Equal([.. prompt, .. reply.Take(4)], _harness.Runtime.KvTokens(0));
        Assert.Empty(_harness.Runtime.Violations);
    }

    [Fact]
    public async Task Max_tokens_of_one_yields_exactly_one_token()
    {
        var prompt = FakeVocabulary.BytesOf("One");

        var outcome = await _harness.RunAsync(prompt, maxNewTokens: 1);

        Assert.Equal(_harness.ReferenceText(prompt, 1), outcome.Text);
        Assert.Equal(FinishReason.Length, outcome.RequireFinished().Reason);
        Assert.Equal(1, outcome.RequireFinished().Usage.CompletionTokens);
        Assert.Single(_harness.Runtime.Batches); // the prompt only: the sampled token is never decoded
    }

    [Fact]
    public async Task End_of_generation_ends_with_stop_and_is_not_counted()
    {
        var prompt = FakeVocabulary.BytesOf("Greet me");
        var hi = _harness.Vocabulary.Define("Hi");
        var bang = _harness.Vocabulary.Define(" there!");
        _harness.Runtime.NextToken = ScriptedModel.Reply(prompt.Length, hi, bang);

        var outcome = await _harness.RunAsync(prompt, maxNewTokens: 50);

        Assert.Equal("Hi there!", outcome.Text);
        var finished = outcome.RequireFinished();
        Assert.Equal(FinishReason.Stop, finished.Reason);
        Assert.Equal(new Usage(8, 2, 0), finished.Usage);
    }

    [Fact]
    public async Task End_of_generation_as_first_token_gives_an_empty_reply()
    {
        var prompt = FakeVocabulary.BytesOf("Say nothing");
        _harness.Runtime.NextToken = ScriptedModel.Reply(prompt.Length);

        var outcome = await _harness.RunAsync(prompt, maxNewTokens: 50);

        Assert.Empty(outcome.Pieces);
        Assert.Equal(FinishReason.Stop, outcome.RequireFinished().Reason);
        Assert.Equal(0, outcome.RequireFinished().Usage.CompletionTokens);
    }

    [Fact]
    public async Task Sampler_gets_the_job_options_and_is_disposed_when_the_job_ends()
    {
        var job = new GenerationJob
        {
            PromptTokens = FakeVocabulary.BytesOf("opts"),
            MaxNewTokens = 3,
            Sampling = new SamplingOptions { Temperature = 0.25f, TopK = 7, Seed = 42 },
        };

        _harness.Loop.Submit(job);
        await job.CollectAsync();
        await _harness.WaitIdleAsync();

        Assert.Equal(job.Sampling, Assert.Single(_harness.Runtime.SamplerRequests));
        Assert.Equal(1, _harness.Runtime.DisposedSamplers);
    }

    [Fact]
    public async Task Sampler_that_cannot_be_built_fails_only_that_job()
    {
        _harness.Runtime.SamplerFailure = new ArgumentException("bad grammar");
        var failed = await _harness.RunAsync(FakeVocabulary.BytesOf("first"), 3);

        _harness.Runtime.SamplerFailure = null;
        var next = await _harness.RunAsync(FakeVocabulary.BytesOf("second"), 3);

        Assert.IsType<ArgumentException>(failed.Failed?.Error);
        Assert.Equal(_harness.ReferenceText(FakeVocabulary.BytesOf("second"), 3), next.Text);
        await _harness.WaitIdleAsync();
    }
}

using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.Engine.Tests.Fakes;
using AbstractEndpoint.Engine.Tests.Support;

namespace AbstractEndpoint.Engine.Tests.Sampling;

/// <summary>llama-server's <c>cache_prompt: false</c>: the prompt is computed whole, whatever the slot holds.</summary>
public sealed class CachePromptTests : IDisposable
{
    private readonly LoopHarness _harness = new(sequenceCount: 1);

    public void Dispose() => _harness.Dispose();

    private Task<JobOutcome> RunAsync(int[] prompt, bool reuse)
    {
        var job = new GenerationJob
        {
            PromptTokens = prompt,
            Sampling = new SamplingOptions { Temperature = 0 },
            MaxNewTokens = 3,
            ReuseCachedPrompt = reuse,
        };
        _harness.Loop.Submit(job);
        return job.CollectAsync();
    }

    [Fact]
    public async Task A_repeated_prompt_is_recomputed_whole_and_reports_no_cached_tokens()
    {
        var prompt = FakeVocabulary.BytesOf("Same prompt again");
        var first = await RunAsync(prompt, reuse: true);
        var before = _harness.Runtime.Batches.Count;

        var fresh = await RunAsync(prompt, reuse: false);

        Assert.Equal(0, fresh.RequireFinished().Usage.CachedTokens);
        var prefill = _harness.Runtime.Batches[before];
        Assert.Equal(Enumerable.Range(0, prompt.Length), prefill.RowsOf(0).Select(r => r.Position));
        Assert.Equal(first.Text, fresh.Text);

        var reused = await RunAsync(prompt, reuse: true);
        Assert.Equal(prompt.Length - 1, reused.RequireFinished().Usage.CachedTokens);
        Assert.Empty(_harness.Runtime.Violations);
    }
}

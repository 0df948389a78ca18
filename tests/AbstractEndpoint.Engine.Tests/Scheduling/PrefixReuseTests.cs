using AbstractEndpoint.Engine.Tests.Fakes;
using AbstractEndpoint.Engine.Tests.Support;

namespace AbstractEndpoint.Engine.Tests.Scheduling;

/// <summary>A finished job's KV cells stay in its slot and serve the next prompt sharing their prefix.</summary>
public sealed class PrefixReuseTests : IDisposable
{
    private readonly LoopHarness _harness = new(sequenceCount: 3);

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Second_job_reuses_the_shared_prefix_and_recomputes_the_rest()
    {
        var first = FakeVocabulary.BytesOf("The quick brown fox");
        var second = FakeVocabulary.BytesOf("The quick brown cat jumps");
        await _harness.RunAsync(first, 3);
        var before = _harness.Runtime.Batches.Count;

        var outcome = await _harness.RunAsync(second, 4);

        const int Shared = 16; // "The quick brown "
        Assert.Equal(Shared, outcome.RequireFinished().Usage.CachedTokens);
        Assert.Equal(second.Length, outcome.RequireFinished().Usage.PromptTokens);
        Assert.Contains(new TokenRemoval(0, Shared, -1), _harness.Runtime.Removals);
        var prefill = _harness.Runtime.Batches[before];
        Assert.Equal(Enumerable.Range(Shared, second.Length - Shared), prefill.RowsOf(0).Select(r => r.Position));
        Assert.Equal(_harness.ReferenceText(second, 4), outcome.Text);
        Assert.Equal([.. second, .. _harness.Runtime.ReferenceReply(second, 4).Take(3)], _harness.Runtime.KvTokens(0));
        Assert.Empty(_harness.Runtime.Violations);
    }

    [Fact]
    public async Task Identical_prompt_recomputes_only_its_last_token()
    {
        var prompt = FakeVocabulary.BytesOf("Same again");
        var firstRun = await _harness.RunAsync(prompt, 5);
        var before = _harness.Runtime.Batches.Count;

        var secondRun = await _harness.RunAsync(prompt, 5);

        Assert.Equal(prompt.Length - 1, secondRun.RequireFinished().Usage.CachedTokens);
        var prefill = Assert.Single(_harness.Runtime.Batches[before].Rows);
        Assert.Equal(new BatchRow(prompt[^1], prompt.Length - 1, 0, WantsLogits: true), prefill);
        Assert.Equal(firstRun.Text, secondRun.Text);
        Assert.Empty(_harness.Runtime.Violations);
    }

    [Fact]
    public async Task Next_turn_of_a_conversation_reuses_the_prompt_and_the_decoded_reply()
    {
        var turn1 = FakeVocabulary.BytesOf("Q1?");
        var reply1 = _harness.Runtime.ReferenceReply(turn1, 4);
        await _harness.RunAsync(turn1, 4);
        int[] turn2 = [.. turn1, .. reply1, .. FakeVocabulary.BytesOf(" Q2?")];

        var outcome = await _harness.RunAsync(turn2, 4);

        // The reply's last token was sampled but never decoded, so it has no cell to reuse.
        Assert.Equal(turn1.Length + reply1.Count - 1, outcome.RequireFinished().Usage.CachedTokens);
        Assert.Equal(_harness.ReferenceText(turn2, 4), outcome.Text);
        Assert.Equal([.. turn2, .. _harness.Runtime.ReferenceReply(turn2, 4).Take(3)], _harness.Runtime.KvTokens(0));
        Assert.Empty(_harness.Runtime.Violations);
    }

    [Fact]
    public async Task Slot_with_the_longest_common_prefix_is_chosen()
    {
        await _harness.RunAsync(FakeVocabulary.BytesOf("alpha: one"), 2); // slot 0
        await _harness.RunAsync(FakeVocabulary.BytesOf("beta: one"), 2);  // slot 1, the unused one, not slot 0

        var beta = await _harness.RunAsync(FakeVocabulary.BytesOf("beta: two"), 2);
        var alpha = await _harness.RunAsync(FakeVocabulary.BytesOf("alpha: two"), 2);

        Assert.Equal(6, beta.RequireFinished().Usage.CachedTokens);
        Assert.Equal(7, alpha.RequireFinished().Usage.CachedTokens);
        Assert.StartsWith("alpha: two", _harness.Vocabulary.Detokenize(_harness.Runtime.KvTokens(0)), StringComparison.Ordinal);
        Assert.StartsWith("beta: two", _harness.Vocabulary.Detokenize(_harness.Runtime.KvTokens(1)), StringComparison.Ordinal);
        Assert.Empty(_harness.Runtime.KvTokens(2));
        Assert.Empty(_harness.Runtime.Violations);
    }

    [Fact]
    public async Task Unrelated_prompt_takes_the_least_recently_used_slot_and_keeps_warm_prefixes()
    {
        await _harness.RunAsync(FakeVocabulary.BytesOf("first"), 2);
        await _harness.RunAsync(FakeVocabulary.BytesOf("second"), 2);
        await _harness.RunAsync(FakeVocabulary.BytesOf("third"), 2);

        var fourth = await _harness.RunAsync(FakeVocabulary.BytesOf("4th"), 2);

        Assert.Equal(0, fourth.RequireFinished().Usage.CachedTokens);
        Assert.StartsWith("4th", _harness.Vocabulary.Detokenize(_harness.Runtime.KvTokens(0)), StringComparison.Ordinal);
        Assert.StartsWith("second", _harness.Vocabulary.Detokenize(_harness.Runtime.KvTokens(1)), StringComparison.Ordinal);
        Assert.StartsWith("third", _harness.Vocabulary.Detokenize(_harness.Runtime.KvTokens(2)), StringComparison.Ordinal);
        Assert.Empty(_harness.Runtime.Violations);
    }
}

using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Runtime;
using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.Engine.Tests.Fakes;
using AbstractEndpoint.Engine.Tests.Support;

namespace AbstractEndpoint.Engine.Tests.Scheduling;

/// <summary>n &gt; 1: the prompt is computed once, then its KV cells are shared with one slot per extra choice.</summary>
public sealed class MultipleChoicesTests : IDisposable
{
    private readonly LoopHarness _harness = new(contextSize: 1 << 22, sequenceCount: 3);

    public void Dispose() => _harness.Dispose();

    private GenerationJob Submit(IReadOnlyList<int> prompt, int maxNewTokens, int choices, uint? seed = null, CancellationToken cancellationToken = default)
    {
        var job = new GenerationJob
        {
            PromptTokens = prompt,
            MaxNewTokens = maxNewTokens,
            Choices = choices,
            Sampling = new SamplingOptions { Temperature = 0, Seed = seed },
            CancellationToken = cancellationToken,
        };
        _harness.Loop.Submit(job);
        return job;
    }

    [Fact]
    public async Task Prompt_is_computed_once_and_copied_to_every_choice()
    {
        var prompt = FakeVocabulary.BytesOf("Pick a name");

        var outcome = await ChoiceOutcomes.CollectAsync(Submit(prompt, 4, choices: 3));

        var reference = _harness.ReferenceText(prompt, 4);
        Assert.Null(outcome.Failed);
        Assert.All(outcome.Texts, text => Assert.Equal(reference, text)); // greedy fake: same logits, same text
        Assert.Equal([0, 1, 2], outcome.Finishes.Select(f => f.Choice).Order());
        Assert.All(outcome.Finishes, f => Assert.Equal(new Usage(prompt.Length, 4, 0), f.Usage));

        var batches = _harness.Runtime.Batches;
        Assert.Equal(prompt, batches[0].Rows.Select(r => r.Token));
        Assert.Single(batches[0].Sequences);
        Assert.All(batches.Skip(1), b => Assert.Equal(3, b.Count)); // one token per choice per step
        Assert.Equal(2, _harness.Runtime.Copies.Count);
        Assert.All(_harness.Runtime.Copies, c => Assert.Equal((batches[0].Rows[0].Sequence, 0, -1), (c.Source, c.From, c.To)));

        var reply = _harness.Runtime.ReferenceReply(prompt, 4);
        for (var sequence = 0; sequence < 3; sequence++)
        {
            Assert.Equal([.. prompt, .. reply.Take(3)], _harness.Runtime.KvTokens(sequence));
        }

        Assert.Equal(prompt.Length + (3 * 3), _harness.Runtime.TotalKvCells); // the prompt's cells are shared
        Assert.Empty(_harness.Runtime.Violations);
    }

    [Fact]
    public async Task Each_choice_gets_its_own_sampler_and_a_seeded_request_stays_repeatable()
    {
        await ChoiceOutcomes.CollectAsync(Submit(FakeVocabulary.BytesOf("seeded"), 2, choices: 3, seed: 10));

        Assert.Equal([10u, 11u, 12u], _harness.Runtime.SamplerRequests.Select(s => s.Seed));
        await _harness.WaitIdleAsync();
        Assert.Equal(3, _harness.Runtime.DisposedSamplers);
    }

    [Fact]
    public async Task Job_waits_until_it_has_a_slot_for_every_choice()
    {
        using var cancellation = new CancellationTokenSource();
        var (running, hold) = await _harness.SubmitAndHoldAfterFirstTokenAsync(
            () => _harness.Submit(FakeVocabulary.BytesOf("running"), 1 << 20, cancellationToken: cancellation.Token));
        ChoiceOutcomes outcome;
        using (hold)
        {
            var job = Submit(FakeVocabulary.BytesOf("three choices"), 3, choices: 3);
            using (var next = _harness.Runtime.HoldNextDecode())
            {
                hold.Release();
                await next.Entered.WaitAsync(JobEventReader.Timeout); // a full step later, the job is still waiting

                Assert.Equal(2, _harness.Loop.Pending); // one slot busy, the 3-choice job queued
                await cancellation.CancelAsync();
            }

            outcome = await ChoiceOutcomes.CollectAsync(job);
        }

        Assert.Equal(3, outcome.Finishes.Count);
        Assert.True((await running.CollectAsync()).EndedSilently);
        Assert.Empty(_harness.Runtime.Violations);
    }

    [Fact]
    public async Task Cancelling_a_multi_choice_job_frees_all_its_slots()
    {
        using var cancellation = new CancellationTokenSource();
        var (job, hold) = await _harness.SubmitAndHoldAfterFirstTokenAsync(
            () => Submit(FakeVocabulary.BytesOf("many"), 1 << 20, choices: 3, cancellationToken: cancellation.Token));
        using (hold)
        {
            await cancellation.CancelAsync();
            hold.Release();
        }

        var outcome = await ChoiceOutcomes.CollectAsync(job);
        await _harness.WaitIdleAsync();

        Assert.Empty(outcome.Finishes);
        Assert.Null(outcome.Failed);
        Assert.Equal(2, _harness.Runtime.Batches.Count); // the prompt, then the step that was in flight
        var next = await ChoiceOutcomes.CollectAsync(Submit(FakeVocabulary.BytesOf("next"), 2, choices: 3));
        Assert.Equal(3, next.Finishes.Count);
    }

    [Fact]
    public async Task Choice_that_stops_early_does_not_end_the_others()
    {
        var prompt = FakeVocabulary.BytesOf("stop test");
        var reply = _harness.ReferenceText(prompt, 6);

        var outcome = await ChoiceOutcomes.CollectAsync(Submit(prompt, 6, choices: 2));

        Assert.Equal(2, outcome.Finishes.Count);
        Assert.All(outcome.Texts, t => Assert.Equal(reply, t));
    }

    [Fact]
    public async Task Failure_of_a_multi_choice_job_frees_all_its_slots_and_wipes_their_cells()
    {
        _harness.Runtime.ForceNextDecodes(DecodeStatus.Failed);

        var outcome = await ChoiceOutcomes.CollectAsync(Submit(FakeVocabulary.BytesOf("fails"), 3, choices: 2));
        var next = await ChoiceOutcomes.CollectAsync(Submit(FakeVocabulary.BytesOf("fails"), 3, choices: 3));

        Assert.IsType<InvalidOperationException>(outcome.Failed?.Error);
        Assert.Empty(outcome.Finishes);
        Assert.Equal(3, next.Finishes.Count);
        Assert.All(next.Finishes, f => Assert.Equal(0, f.Usage.CachedTokens));
        Assert.Empty(_harness.Runtime.Violations);
    }
}

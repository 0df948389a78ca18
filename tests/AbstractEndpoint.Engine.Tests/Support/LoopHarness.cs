using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.Engine.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace AbstractEndpoint.Engine.Tests.Support;

/// <summary>An inference loop over a fake runtime; disposing stops the loop thread.</summary>
public sealed class LoopHarness : IDisposable
{
    public LoopHarness(
        int contextSize = 512, int batchSize = 64, int sequenceCount = 4, SchedulerOptions? options = null, TimeProvider? stepClock = null)
    {
        Vocabulary = new FakeVocabulary();
        Runtime = new FakeModelRuntime(Vocabulary, contextSize, batchSize, sequenceCount);
        Loop = new InferenceLoop(Runtime, options ?? new SchedulerOptions(), NullLogger<InferenceLoop>.Instance, stepClock);
    }

    public FakeVocabulary Vocabulary { get; }

    public FakeModelRuntime Runtime { get; }

    public InferenceLoop Loop { get; }

    public static GenerationJob Job(
        IReadOnlyList<int> prompt, int maxNewTokens, IReadOnlyList<string>? stops = null, CancellationToken cancellationToken = default) =>
        new()
        {
            PromptTokens = prompt,
            Sampling = new SamplingOptions { Temperature = 0 },
            MaxNewTokens = maxNewTokens,
            StopSequences = stops ?? [],
            CancellationToken = cancellationToken,
        };

    public GenerationJob Submit(
        IReadOnlyList<int> prompt, int maxNewTokens, IReadOnlyList<string>? stops = null, CancellationToken cancellationToken = default)
    {
        var job = Job(prompt, maxNewTokens, stops, cancellationToken);
        Loop.Submit(job);
        return job;
    }

    /// <summary>Submits and waits until the job's stream completes.</summary>
    public Task<JobOutcome> RunAsync(IReadOnlyList<int> prompt, int maxNewTokens, IReadOnlyList<string>? stops = null) =>
        Submit(prompt, maxNewTokens, stops).CollectAsync();

    /// <summary>The text the fake model yields for a prompt when run alone.</summary>
    public string ReferenceText(IReadOnlyList<int> prompt, int maxNewTokens) =>
        Vocabulary.Detokenize(Runtime.ReferenceReply(prompt, maxNewTokens));

    /// <summary>
    /// Submits a job through <paramref name="submit"/> and returns once its prompt is decoded, its first token
    /// sampled and the loop is held inside the next decode: the job is provably generating and cannot run ahead
    /// until the returned hold is released.
    /// </summary>
    public async Task<(GenerationJob Job, DecodeHold Hold)> SubmitAndHoldAfterFirstTokenAsync(Func<GenerationJob> submit)
    {
        using var prefill = Runtime.HoldNextDecode();
        var job = submit();
        await prefill.Entered.WaitAsync(JobEventReader.Timeout);
        var next = Runtime.HoldNextDecode();
        prefill.Release();
        await next.Entered.WaitAsync(JobEventReader.Timeout);
        return (job, next);
    }

    /// <summary>Waits until the loop reports nothing pending (its counters are updated just after the last event).</summary>
    public async Task WaitIdleAsync() => Assert.True(await Loop.DrainAsync(JobEventReader.Timeout), "the loop never became idle");

    public void Dispose()
    {
        Loop.Dispose();
        Runtime.Dispose();
    }
}

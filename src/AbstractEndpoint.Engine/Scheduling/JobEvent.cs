using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>What the inference loop reports about a job.</summary>
public abstract record JobEvent;

/// <summary>
/// New output text (complete characters, stop sequences already removed), with the log probabilities of the
/// tokens that text completes when the job asked for them (see <see cref="LogprobAligner"/>).
/// </summary>
public sealed record JobText(string Text, int Choice = 0, IReadOnlyList<TokenLogprob>? Logprobs = null) : JobEvent;

/// <summary>One choice of the job ended normally; the event stream ends after the last choice.</summary>
public sealed record JobFinished(FinishReason Reason, Usage Usage, GenerationTimings Timings, int Choice = 0) : JobEvent
{
    /// <summary>The stop sequence that ended the reply, if one did.</summary>
    public string? StopSequence { get; init; }

    /// <summary>The most jobs that shared one decode step with this one (itself included).</summary>
    public int PeakBatchSize { get; init; } = 1;
}

/// <summary>The job could not be completed; <see cref="Error"/> says why.</summary>
public sealed record JobFailed(Exception Error) : JobEvent;

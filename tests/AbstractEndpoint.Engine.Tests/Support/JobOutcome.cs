using AbstractEndpoint.Engine.Scheduling;

namespace AbstractEndpoint.Engine.Tests.Support;

/// <summary>Everything a job reported, in order, once its event stream completed.</summary>
public sealed record JobOutcome(IReadOnlyList<string> Pieces, JobFinished? Finished, JobFailed? Failed)
{
    public string Text => string.Concat(Pieces);

    /// <summary>The stream ended with neither a finish nor a failure (the job was cancelled).</summary>
    public bool EndedSilently => Finished is null && Failed is null;

    public JobFinished RequireFinished() =>
        Finished ?? throw new Xunit.Sdk.XunitException($"Expected the job to finish; failed: {Failed?.Error}, text: '{Text}'.");
}

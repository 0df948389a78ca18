namespace AbstractEndpoint.Core.Generation;

/// <summary>How a reply was scheduled (continuous batching on the local engine).</summary>
/// <param name="PeakBatchSize">The most requests that shared one decode step with it.</param>
/// <param name="QueueSeconds">From submission until a slot took it.</param>
/// <param name="TimeToFirstTokenSeconds">From submission until its first token was sampled.</param>
public sealed record ExecutionReport(int PeakBatchSize, double QueueSeconds, double TimeToFirstTokenSeconds);

using System.Diagnostics;

namespace AbstractEndpoint.Bench.Load;

/// <summary>
/// Closed-loop load at a fixed concurrency: that many workers each send a request, wait for it to finish, and send
/// the next, until the level's request count is reached. Wall time runs from the first send to the last response.
/// </summary>
internal static class LevelRunner
{
    public static async Task<LevelRun> RunAsync(
        ChatCompletionClient client,
        LoadTarget target,
        string model,
        int concurrency,
        int requestCount,
        int round,
        int maxTokens,
        Func<int, string> promptFor,
        CancellationToken cancellationToken)
    {
        var results = new RequestMeasurement[requestCount];
        var next = -1;
        var start = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, Math.Min(concurrency, requestCount)).Select(_ => Task.Run(
            async () =>
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < requestCount)
                {
                    results[index] = await client.SendAsync(target, model, promptFor(index), maxTokens, cancellationToken);
                }
            },
            cancellationToken));
        await Task.WhenAll(workers);
        return new LevelRun(target.Label, concurrency, round, Stopwatch.GetElapsedTime(start).TotalSeconds, results);
    }
}

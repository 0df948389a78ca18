namespace AbstractEndpoint.Bench.Load;

/// <summary>
/// Runs the levels in order. Within a level, each round runs every target once (A, then B), so with two targets
/// the sequence is A B A B …: slow drift of the machine (thermal, background work) hits both equally.
/// </summary>
internal sealed class LoadTestRunner(ChatCompletionClient client, LoadTestOptions options, TextWriter progress)
{
    public async Task<LoadReport> RunAsync(CancellationToken cancellationToken)
    {
        options.Validate();
        var startedAt = DateTimeOffset.UtcNow;
        var prompts = new PromptFactory(options.PromptTokens, options.SharedPrefix, options.Seed);
        var models = new Dictionary<string, string>();
        foreach (var target in options.Targets)
        {
            models[target.Label] = await client.ResolveModelAsync(target, cancellationToken);
            await WarmUpAsync(target, models[target.Label], prompts, cancellationToken);
        }

        var runs = new List<LevelRun>();
        for (var level = 0; level < options.ConcurrencyLevels.Count; level++)
        {
            var concurrency = options.ConcurrencyLevels[level];
            var requests = options.RequestsFor(concurrency);
            for (var round = 1; round <= options.Rounds; round++)
            {
                foreach (var target in options.Targets)
                {
                    var levelIndex = level;
                    var roundIndex = round;
                    var run = await LevelRunner.RunAsync(
                        client, target, models[target.Label], concurrency, requests, round, options.MaxTokens,
                        index => prompts.Create(target.Label, roundIndex, levelIndex, index), cancellationToken);
                    runs.Add(run);
                    var errors = run.Requests.Count(r => !r.Succeeded);
                    var tokens = run.Requests.Where(r => r.Succeeded).Sum(r => r.CompletionTokens);
                    await progress.WriteLineAsync(
                        $"[{target.Label}] concurrency {concurrency}, round {round}: {requests} requests, " +
                        $"{errors} errors, {tokens} tokens in {run.WallSeconds:F2} s ({tokens / run.WallSeconds:F1} tok/s)");
                }
            }
        }

        var summaries = runs
            .GroupBy(run => (run.Target, run.Concurrency))
            .Select(group => LevelSummary.From([.. group], options.MaxTokens))
            .OrderBy(summary => options.ConcurrencyLevels.ToList().IndexOf(summary.Concurrency))
            .ThenBy(summary => summary.Target, StringComparer.Ordinal)
            .ToList();
        return new LoadReport
        {
            StartedAt = startedAt,
            Targets = [.. options.Targets.Select(t => new LoadReport.TargetInfo(t.Label, t.BaseUrl.ToString(), models[t.Label]))],
            Settings = new LoadReport.LoadSettings(
                options.ConcurrencyLevels, options.PromptTokens, options.MaxTokens, options.SharedPrefix, options.Rounds,
                options.WarmupRequests, options.Stream, options.SuppressedTokenIds, options.Temperature),
            Levels = summaries,
            Comparisons = Compare(summaries, options.Targets[0].Label),
            Runs = [.. runs.Select(ToRecord)],
        };
    }

    private async Task WarmUpAsync(LoadTarget target, string model, PromptFactory prompts, CancellationToken cancellationToken)
    {
        for (var i = 0; i < options.WarmupRequests; i++)
        {
            // A short generation: enough to load the model and warm caches without skewing the first level.
            var result = await client.SendAsync(
                target, model, prompts.Create(target.Label, 0, -1, i), Math.Min(8, options.MaxTokens), cancellationToken);
            if (!result.Succeeded)
            {
                await progress.WriteLineAsync($"[{target.Label}] warm-up request failed: {result.Error}");
            }
        }
    }

    /// <summary>Every other target against the first, level by level.</summary>
    private static List<AbComparison> Compare(List<LevelSummary> summaries, string reference) =>
    [
        .. summaries
            .GroupBy(summary => summary.Concurrency)
            .Where(group => group.Any(s => s.Target == reference))
            .SelectMany(group => group
                .Where(s => s.Target != reference)
                .Select(other => AbComparison.From(group.Single(s => s.Target == reference), other))),
    ];

    private static LoadReport.RunRecord ToRecord(LevelRun run) => new(
        run.Target,
        run.Concurrency,
        run.Round,
        run.WallSeconds,
        [
            .. run.Requests.Select(r => new LoadReport.RequestRecord(
                r.TimeToFirstToken * 1000, r.Duration * 1000, r.CompletionTokens, r.PromptTokens, r.FinishReason, r.Error)),
        ]);
}

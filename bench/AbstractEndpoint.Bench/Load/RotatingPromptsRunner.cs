using System.Globalization;
using System.Text;

namespace AbstractEndpoint.Bench.Load;

/// <summary>
/// The "rotating prompts" scenario: more distinct long leading texts (system prompts, as an agent or app that rotates
/// through several would send) than the server has slots, each request one of them plus a short question, visited in
/// turn and then revisited. One request at a time, the targets taking turns request by request. A server that keeps
/// prompts only in its slots recomputes every revisit; one that remembers prompts beyond its slots answers a revisit
/// from memory.
/// </summary>
internal static class RotatingPromptsRunner
{
    public static async Task<IReadOnlyList<RotatingPromptsSummary>> RunAsync(
        ChatCompletionClient client,
        IReadOnlyList<(LoadTarget Target, string Model)> targets,
        int distinctPrompts,
        int promptTokens,
        int visits,
        TextWriter progress,
        CancellationToken cancellationToken)
    {
        var prompts = new PromptFactory(promptTokens, 0, seed: 7);
        var leading = Enumerable.Range(0, distinctPrompts).Select(k => prompts.Create("rotating", 0, 0, k)).ToList();
        var measured = targets.ToDictionary(t => t.Target.Label, _ => new List<(int Visit, RequestMeasurement Result)>());
        for (var visit = 0; visit < visits; visit++)
        {
            for (var k = 0; k < distinctPrompts; k++)
            {
                foreach (var (target, model) in targets)
                {
                    var prompt = $"{leading[k]}\n\nQuestion {visit + 1}: what is the first word above?";
                    var result = await client.SendAsync(target, model, prompt, 4, cancellationToken);
                    measured[target.Label].Add((visit, result));
                }
            }

            await progress.WriteLineAsync($"rotating prompts: visit {visit + 1} of {visits} done");
        }

        return [.. targets.Select(t => RotatingPromptsSummary.From(t.Target.Label, measured[t.Target.Label]))];
    }

    public static string Render(IReadOnlyList<RotatingPromptsSummary> summaries, int distinctPrompts, int promptTokens)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"rotating prompts: {distinctPrompts} distinct leading texts of ≈{promptTokens} tokens, one request at a time, max_tokens 4");
        text.AppendLine();
        text.AppendLine("| target | reqs | err | prompt tok | first visit TTFT p50 ms | revisit TTFT p50 ms | revisit TTFT p90 ms | revisit / first |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in summaries)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {s.Target} | {s.Requests} | {s.Errors} | {Format(s.MeanPromptTokens, "F0")} | {Format(s.FirstVisitTtftP50Ms)} | " +
                $"{Format(s.RevisitTtftP50Ms)} | {Format(s.RevisitTtftP90Ms)} | {Format(s.RevisitTtftP50Ms / s.FirstVisitTtftP50Ms, "F3")} |");
        }

        return text.ToString();
    }

    private static string Format(double? value, string format = "F1") =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "–";
}

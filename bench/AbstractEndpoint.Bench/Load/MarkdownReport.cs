using System.Globalization;
using System.Text;

namespace AbstractEndpoint.Bench.Load;

/// <summary>Renders a <see cref="LoadReport"/> as markdown tables (one row per target and level, then B/A ratios).</summary>
internal static class MarkdownReport
{
    public static string Render(LoadReport report)
    {
        var text = new StringBuilder();
        foreach (var target in report.Targets)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{target.Label}: {target.Url} (model {target.Model})");
        }

        var settings = report.Settings;
        text.AppendLine(CultureInfo.InvariantCulture,
            $"prompt ≈{settings.PromptTokens} tokens, shared prefix {settings.SharedPrefix:P0}, max_tokens {settings.MaxTokens}, " +
            $"stream {settings.Stream.ToString().ToLowerInvariant()}, rounds {settings.Rounds}");
        text.AppendLine();
        text.AppendLine("| target | conc | reqs | err | short | prompt tok | TTFT p50 ms | TTFT p90 ms | TTFT p99 ms | ITL p50 ms | ITL p99 ms | stream tok/s | aggregate tok/s |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var level in report.Levels)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {level.Target} | {level.Concurrency} | {level.Requests} | {level.Errors} | {level.ShortResponses} | " +
                $"{Format(level.MeanPromptTokens, "F0")} | {Format(level.TtftP50Ms)} | {Format(level.TtftP90Ms)} | " +
                $"{Format(level.TtftP99Ms)} | {Format(level.ItlP50Ms)} | {Format(level.ItlP99Ms)} | " +
                $"{Format(level.StreamTokensPerSecond)} | {Format(level.AggregateTokensPerSecond)} |");
        }

        if (report.Comparisons.Count > 0)
        {
            text.AppendLine();
            var reference = report.Targets[0].Label;
            text.AppendLine(CultureInfo.InvariantCulture, $"each target / {reference} (latency ratios < 1 and tok/s ratios > 1 favour the target)");
            text.AppendLine();
            text.AppendLine("| target | conc | TTFT p50 | TTFT p99 | ITL p50 | ITL p99 | stream tok/s | aggregate tok/s |");
            text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var c in report.Comparisons)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {c.Target} / {reference} | {c.Concurrency} | {Format(c.TtftP50, "F3")} | {Format(c.TtftP99, "F3")} | {Format(c.ItlP50, "F3")} | " +
                    $"{Format(c.ItlP99, "F3")} | {Format(c.StreamTokensPerSecond, "F3")} | {Format(c.AggregateTokensPerSecond, "F3")} |");
            }
        }

        foreach (var level in report.Levels.Where(l => l.FirstError is not null))
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"first error ({level.Target}, concurrency {level.Concurrency}): {level.FirstError}");
        }

        return text.ToString();
    }

    private static string Format(double? value, string format = "F1") =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";
}

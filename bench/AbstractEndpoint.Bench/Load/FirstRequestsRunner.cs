using System.Globalization;
using System.Text;

namespace AbstractEndpoint.Bench.Load;

/// <summary>
/// The "first requests" scenario: right after the servers report ready, before anything else has touched them, the
/// same short prompt with <c>max_tokens: 1</c>, one request at a time, the targets taking turns request by request.
/// The first request shows what a server's cold path costs a client (code compiled on first use, first graphs); the
/// later ones, the cost of a request whose prompt is cached. The client's own first POST is paid before, on a route
/// that generates nothing, so the first target is not charged for the client's warm-up.
/// </summary>
internal static class FirstRequestsRunner
{
    private const string Prompt = "Say one word.";

    public static async Task<IReadOnlyList<FirstRequestsSummary>> RunAsync(
        ChatCompletionClient client,
        HttpClient http,
        IReadOnlyList<(LoadTarget Target, string Model)> targets,
        int requests,
        CancellationToken cancellationToken)
    {
        foreach (var (target, _) in targets)
        {
            using var warmClient = await http.PostAsync(target.ModelsUrl, new ByteArrayContent([]), cancellationToken);
        }

        var measured = targets.ToDictionary(t => t.Target.Label, _ => new List<RequestMeasurement>());
        for (var i = 0; i < requests; i++)
        {
            foreach (var (target, model) in targets)
            {
                measured[target.Label].Add(await client.SendAsync(target, model, Prompt, 1, cancellationToken));
            }
        }

        return [.. targets.Select(t => FirstRequestsSummary.From(t.Target.Label, measured[t.Target.Label]))];
    }

    public static string Render(IReadOnlyList<FirstRequestsSummary> summaries)
    {
        var text = new StringBuilder();
        text.AppendLine("first requests after start: one short prompt, max_tokens 1, one request at a time (ms, whole request)");
        text.AppendLine();
        text.AppendLine("| target | err | 1st | 2nd | 3rd | later p50 | later max | 1st − anchor's 1st | later p50 − anchor's |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        var anchor = summaries.Count > 0 ? summaries[0] : null;
        foreach (var s in summaries)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {s.Target} | {s.Errors} | {Format(s.At(0))} | {Format(s.At(1))} | {Format(s.At(2))} | {Format(s.LaterP50Ms)} | " +
                $"{Format(s.LaterMaxMs)} | {Format(s.At(0) - anchor?.At(0))} | {Format(s.LaterP50Ms - anchor?.LaterP50Ms)} |");
        }

        return text.ToString();
    }

    private static string Format(double? value) =>
        value is { } v && double.IsFinite(v) ? v.ToString("F1", CultureInfo.InvariantCulture) : "–";
}

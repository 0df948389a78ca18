namespace AbstractEndpoint.Bench.Load;

/// <summary>One target's figures in the rotating-prompts scenario: time to first token on first visits and revisits.</summary>
internal sealed record RotatingPromptsSummary(
    string Target,
    int Requests,
    int Errors,
    double? MeanPromptTokens,
    double? FirstVisitTtftP50Ms,
    double? RevisitTtftP50Ms,
    double? RevisitTtftP90Ms,
    string? FirstError)
{
    public static RotatingPromptsSummary From(string target, IReadOnlyList<(int Visit, RequestMeasurement Result)> requests)
    {
        var ok = requests.Where(r => r.Result.Succeeded && r.Result.TimeToFirstToken is not null).ToList();
        List<double> Ttft(Func<int, bool> visit) => [.. ok.Where(r => visit(r.Visit)).Select(r => r.Result.TimeToFirstToken!.Value * 1000)];
        var prompt = ok.Where(r => r.Result.PromptTokens is not null).Select(r => (double)r.Result.PromptTokens!.Value).ToList();
        return new RotatingPromptsSummary(
            target,
            requests.Count,
            requests.Count(r => !r.Result.Succeeded),
            prompt.Count > 0 ? prompt.Average() : null,
            Percentile.Of(Ttft(v => v == 0), 50),
            Percentile.Of(Ttft(v => v > 0), 50),
            Percentile.Of(Ttft(v => v > 0), 90),
            requests.FirstOrDefault(r => !r.Result.Succeeded).Result?.Error);
    }
}

namespace AbstractEndpoint.Bench.Fuzz;

/// <summary>What one route's bodies got in a fuzz run.</summary>
public sealed record FuzzRouteCounts(int Sent, int Success, int ClientErrors, int ServerErrors, int Dropped, int TimedOut, int Other)
{
    public override string ToString() =>
        $"{Sent,6} sent {Success,6} × 2xx {ClientErrors,6} × 4xx {ServerErrors,4} × 5xx {Dropped,4} dropped {TimedOut,4} timed out {Other,3} other";
}

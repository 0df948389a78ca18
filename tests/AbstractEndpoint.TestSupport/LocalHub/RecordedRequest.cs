namespace AbstractEndpoint.TestSupport.LocalHub;

/// <summary>One request the fake hub received, on its "hub" or its "cdn" listener.</summary>
public sealed record RecordedRequest(string Server, string Method, string Target, IReadOnlyDictionary<string, string> Headers)
{
    public string? Range => Headers.GetValueOrDefault("Range");

    public string? Authorization => Headers.GetValueOrDefault("Authorization");

    public string PathOnly => Target.Split('?')[0];
}

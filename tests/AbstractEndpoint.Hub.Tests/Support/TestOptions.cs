namespace AbstractEndpoint.Hub.Tests.Support;

internal static class TestOptions
{
    /// <summary>Options with short delays and timeouts, pointing at <paramref name="endpoint"/>.</summary>
    public static HubOptions For(string cacheDirectory, Uri? endpoint = null, bool offline = false, string? token = null, int attempts = 3) => new()
    {
        CacheDirectory = cacheDirectory,
        // A closed port: a test that should not touch the network fails fast if it does.
        Endpoint = endpoint ?? new Uri("http://127.0.0.1:9"),
        Offline = offline,
        Token = token,
        MaxDownloadAttempts = attempts,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        StallTimeout = TimeSpan.FromSeconds(5),
        RequestTimeout = TimeSpan.FromSeconds(5),
    };
}

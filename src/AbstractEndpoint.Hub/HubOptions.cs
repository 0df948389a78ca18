namespace AbstractEndpoint.Hub;

/// <summary>
/// Where the Hugging Face cache lives, which hub to talk to and how. Built from the same environment variables
/// huggingface_hub reads, so this server and Python tools share one cache.
/// </summary>
public sealed record HubOptions
{
    /// <summary>The public hub.</summary>
    public static readonly Uri DefaultEndpoint = new("https://huggingface.co");

    /// <summary>The hub cache directory (the folder holding <c>models--org--name</c>).</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>The hub base address; <c>HF_ENDPOINT</c> overrides it (mirrors, private hubs, tests).</summary>
    public Uri Endpoint { get; init; } = DefaultEndpoint;

    /// <summary>Access token sent as <c>Authorization: Bearer</c> to the hub (never to the CDN it redirects to).</summary>
    public string? Token { get; init; }

    /// <summary>When true, only the cache is consulted and nothing is downloaded.</summary>
    public bool Offline { get; init; }

    /// <summary>How many times one file's transfer is tried (resuming each time) before giving up.</summary>
    public int MaxDownloadAttempts { get; init; } = 5;

    /// <summary>Pause before the first retry; it doubles for each further retry.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A transfer that delivers no bytes for this long is treated as dropped and resumed.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Limit for metadata requests (API listing, redirects).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Reads <c>HF_HUB_CACHE</c>, <c>HF_HOME</c>, <c>XDG_CACHE_HOME</c>, <c>HF_ENDPOINT</c>, <c>HF_TOKEN</c>
    /// (or <c>HUGGING_FACE_HUB_TOKEN</c>, or the token file <c>huggingface-cli login</c> writes) and
    /// <c>HF_HUB_OFFLINE</c>.
    /// </summary>
    /// <param name="getVariable">Environment lookup; defaults to the process environment. Tests pass a dictionary.</param>
    public static HubOptions FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        string? Read(string name) => getVariable(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        var home = Read("HOME") ?? Read("USERPROFILE") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string Expand(string path) => path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(home, path.TrimStart('~').TrimStart('/'))
            : path;

        var hfHome = Read("HF_HOME") is { } explicitHome
            ? Expand(explicitHome)
            : Path.Combine(Read("XDG_CACHE_HOME") is { } xdg ? Expand(xdg) : Path.Combine(home, ".cache"), "huggingface");
        var cache = Read("HF_HUB_CACHE") is { } hubCache ? Expand(hubCache) : Path.Combine(hfHome, "hub");

        return new HubOptions
        {
            CacheDirectory = Path.GetFullPath(cache),
            Endpoint = ParseEndpoint(Read("HF_ENDPOINT")),
            Token = Read("HF_TOKEN") ?? Read("HUGGING_FACE_HUB_TOKEN") ?? ReadTokenFile(Read("HF_TOKEN_PATH") is { } p ? Expand(p) : Path.Combine(hfHome, "token")),
            Offline = IsTruthy(Read("HF_HUB_OFFLINE")),
        };
    }

    /// <summary>A description for logs; unlike the record default, it never prints the token.</summary>
    public override string ToString() =>
        $"HubOptions {{ CacheDirectory = {CacheDirectory}, Endpoint = {Endpoint}, Token = {(Token is null ? "unset" : "set")}, Offline = {Offline} }}";

    /// <summary>huggingface_hub's notion of a true flag: 1, ON, YES or TRUE in any case.</summary>
    internal static bool IsTruthy(string? value) =>
        value?.Trim().ToUpperInvariant() is "1" or "ON" or "YES" or "TRUE";

    private static Uri ParseEndpoint(string? value)
    {
        if (value is null)
        {
            return DefaultEndpoint;
        }

        if (!Uri.TryCreate(value.TrimEnd('/'), UriKind.Absolute, out var endpoint)
            || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new ModelResolutionException(
                ModelResolutionErrorKind.InvalidReference,
                $"HF_ENDPOINT '{value}' is not an http(s) URL.");
        }

        return endpoint;
    }

    private static string? ReadTokenFile(string path)
    {
        try
        {
            return File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } token ? token : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}

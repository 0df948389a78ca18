using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace AbstractEndpoint.TestSupport.LocalHub;

/// <summary>
/// A stand-in for huggingface.co on 127.0.0.1: the revision API, the <c>/resolve/</c> route answering 302 with the
/// hub's headers, and a separate "CDN" listener (another port, so another origin) that serves blobs with Range
/// support. Raw sockets rather than an HTTP framework, so faults such as a connection cut after K bytes are exact.
/// </summary>
public sealed class FakeHub : IAsyncDisposable
{
    private readonly TcpListener _hub = new(IPAddress.Loopback, 0);
    private readonly TcpListener _cdn = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentDictionary<string, FakeRepository> _repositories = new(StringComparer.Ordinal);
    private readonly List<Task> _loops = [];
    private int _responsesToCut;
    private int _responsesToFail;

    public FakeHub()
    {
        _hub.Start();
        _cdn.Start();
        Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)_hub.LocalEndpoint).Port}");
        CdnBase = new Uri($"http://127.0.0.1:{((IPEndPoint)_cdn.LocalEndpoint).Port}");
        _loops.Add(AcceptLoopAsync(_hub, "hub"));
        _loops.Add(AcceptLoopAsync(_cdn, "cdn"));
    }

    public Uri Endpoint { get; }

    public Uri CdnBase { get; }

    /// <summary>When set, the API and resolve routes answer 401 unless this bearer token is sent.</summary>
    public string? RequiredToken { get; set; }

    /// <summary>Answer 401 GatedRepo on resolve even with the right token (terms not accepted).</summary>
    public bool Gated { get; set; }

    /// <summary>The CDN sends whole files with 200, as a server that does not support Range would.</summary>
    public bool IgnoreRange { get; set; }

    /// <summary>The CDN serves bytes that do not match the sha256 the API advertises.</summary>
    public bool CorruptBlobs { get; set; }

    /// <summary>The listing omits <c>lfs</c>, so the client must learn the sha256 from the resolve headers.</summary>
    public bool OmitLfsInfo { get; set; }

    /// <summary>Where CDN bodies are cut (headers promise the full length, then the socket closes).</summary>
    public int CutAfterBytes { get; set; }

    /// <summary>Cut bodies hang (connection open, no more bytes) instead of closing.</summary>
    public bool StallInsteadOfClosing { get; set; }

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public IEnumerable<RecordedRequest> CdnRequests => Requests.Where(r => r.Server == "cdn");

    /// <summary>The next <paramref name="count"/> CDN bodies are cut (or stall) after <paramref name="afterBytes"/> bytes.</summary>
    public void CutNextCdnResponses(int count, int afterBytes, bool stall = false)
    {
        CutAfterBytes = afterBytes;
        StallInsteadOfClosing = stall;
        Volatile.Write(ref _responsesToCut, count);
    }

    /// <summary>The next <paramref name="count"/> CDN requests are answered 503, as an overloaded CDN would.</summary>
    public void FailNextCdnResponses(int count) => Volatile.Write(ref _responsesToFail, count);

    public void AddRepository(string repoId, string commit, IReadOnlyDictionary<string, byte[]> files) =>
        _repositories[repoId] = new FakeRepository(commit, files);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _hub.Stop();
        _cdn.Stop();
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync(TcpListener listener, string server)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client, server));
        }
    }

    private async Task ServeAsync(TcpClient client, string server)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = await ReadRequestAsync(stream, server);
                if (request is null)
                {
                    return;
                }

                _requests.Enqueue(request);
                var response = server == "cdn" ? ServeBlob(request) : ServeHub(request);
                await WriteAsync(stream, request.Method, response);
                if (response.CutAfterBytes is not null && StallInsteadOfClosing)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }

                client.Client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The client went away (a cancelled or aborted download); nothing to answer.
            }
        }
    }

    private FakeResponse ServeHub(RecordedRequest request)
    {
        var path = request.PathOnly;
        var segments = path.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        var authorized = RequiredToken is null || request.Authorization == $"Bearer {RequiredToken}";

        // /api/models/{org}/{name}/revision/{rev}
        if (segments is ["api", "models", var org, var name, "revision", var revision])
        {
            if (!_repositories.TryGetValue($"{org}/{name}", out var repo))
            {
                return RepoNotFound(request);
            }

            if (!authorized)
            {
                return FakeResponse.Error(401, "Invalid credentials in Authorization header");
            }

            return repo.Matches(revision)
                ? FakeResponse.Json(200, ListingJson($"{org}/{name}", repo))
                : FakeResponse.Error(404, "Invalid rev id", "RevisionNotFound");
        }

        // /{org}/{name}/resolve/{rev}/{path...}
        if (segments.Length >= 5 && segments[2] == "resolve")
        {
            if (!_repositories.TryGetValue($"{segments[0]}/{segments[1]}", out var repo))
            {
                return RepoNotFound(request);
            }

            if (!authorized)
            {
                return FakeResponse.Error(401, "Invalid credentials in Authorization header");
            }

            if (Gated)
            {
                return FakeResponse.Error(401, "Access to this model is restricted.", "GatedRepo");
            }

            var file = string.Join('/', segments[4..]);
            if (!repo.Matches(segments[3]) || !repo.Files.TryGetValue(file, out var content))
            {
                return FakeResponse.Error(404, "Entry not found", "EntryNotFound");
            }

            var sha = TestData.Sha256(content);
            return new FakeResponse(302, [], Encoding.UTF8.GetBytes($"Found. Redirecting to {CdnBase}blobs/{sha}"))
            {
                Headers =
                {
                    ["Location"] = $"{CdnBase}blobs/{sha}?X-Amz-Signature=fake",
                    ["X-Repo-Commit"] = repo.Commit,
                    ["X-Linked-Etag"] = $"\"{sha}\"",
                    ["X-Linked-Size"] = content.Length.ToString(CultureInfo.InvariantCulture),
                    ["ETag"] = $"\"{TestData.GitBlobId(content)}\"",
                },
            };
        }

        return FakeResponse.Error(404, "Not found");
    }

    private FakeResponse ServeBlob(RecordedRequest request)
    {
        if (Interlocked.Decrement(ref _responsesToFail) >= 0)
        {
            return FakeResponse.Error(503, "Service Unavailable");
        }

        var sha = request.PathOnly.Split('/')[^1];
        var content = _repositories.Values.SelectMany(r => r.Files.Values).FirstOrDefault(c => TestData.Sha256(c) == sha);
        if (content is null)
        {
            return FakeResponse.Error(404, "NoSuchKey");
        }

        if (CorruptBlobs)
        {
            content = [.. content];
            content[^1] ^= 0xFF;
        }

        var cut = Interlocked.Decrement(ref _responsesToCut) >= 0 ? CutAfterBytes : (int?)null;
        var start = !IgnoreRange && ParseRangeStart(request.Range) is { } from ? from : (long?)null;
        if (start is null)
        {
            return new FakeResponse(200, [], content) { CutAfterBytes = cut, Headers = { ["Accept-Ranges"] = "bytes" } };
        }

        if (start >= content.Length)
        {
            return new FakeResponse(416, [], []) { Headers = { ["Content-Range"] = $"bytes */{content.Length}" } };
        }

        return new FakeResponse(206, [], content[(int)start.Value..])
        {
            CutAfterBytes = cut,
            Headers =
            {
                ["Accept-Ranges"] = "bytes",
                ["Content-Range"] = string.Create(CultureInfo.InvariantCulture, $"bytes {start}-{content.Length - 1}/{content.Length}"),
            },
        };
    }

    private FakeResponse RepoNotFound(RecordedRequest request) =>
        request.Authorization is null
            ? FakeResponse.Error(401, "Repository Not Found", "RepoNotFound") // The hub hides private repos from anonymous callers.
            : FakeResponse.Error(404, "Repository Not Found", "RepoNotFound");

    private string ListingJson(string repoId, FakeRepository repo)
    {
        var siblings = repo.Files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new Dictionary<string, object?>
        {
            ["rfilename"] = f.Key,
            ["size"] = f.Value.Length,
            ["blobId"] = TestData.GitBlobId(f.Value),
            ["lfs"] = OmitLfsInfo ? null : new Dictionary<string, object> { ["sha256"] = TestData.Sha256(f.Value), ["size"] = f.Value.Length, ["pointerSize"] = 134 },
        });
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["_id"] = "0123456789abcdef01234567",
            ["id"] = repoId,
            ["modelId"] = repoId,
            ["sha"] = repo.Commit,
            ["private"] = false,
            ["gated"] = Gated ? "manual" : false,
            ["tags"] = new[] { "gguf" },
            ["siblings"] = siblings.ToList(),
        });
    }

    private static long? ParseRangeStart(string? range) =>
        range is not null && range.StartsWith("bytes=", StringComparison.Ordinal)
        && long.TryParse(range["bytes=".Length..].Split('-')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            ? start
            : null;

    private static async Task<RecordedRequest?> ReadRequestAsync(NetworkStream stream, string server)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 64 * 1024)
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return null;
            }

            head.Add(one[0]);
            if (head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n')
            {
                break;
            }
        }

        var lines = Encoding.ASCII.GetString([.. head]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var requestLine = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        return new RecordedRequest(server, requestLine[0], requestLine[1], headers);
    }

    private static async Task WriteAsync(NetworkStream stream, string method, FakeResponse response)
    {
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {response.Status} {ReasonPhrase(response.Status)}\r\n");
        foreach (var (name, value) in response.Headers)
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {response.Body.Length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        if (method != "HEAD")
        {
            var length = Math.Min(response.Body.Length, response.CutAfterBytes ?? int.MaxValue);
            await stream.WriteAsync(response.Body.AsMemory(0, length));
        }

        await stream.FlushAsync();
    }

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        206 => "Partial Content",
        302 => "Found",
        401 => "Unauthorized",
        404 => "Not Found",
        503 => "Service Unavailable",
        416 => "Range Not Satisfiable",
        _ => "Status",
    };

    private sealed record FakeRepository(string Commit, IReadOnlyDictionary<string, byte[]> Files)
    {
        public bool Matches(string revision) => revision == "main" || revision == Commit;
    }
}

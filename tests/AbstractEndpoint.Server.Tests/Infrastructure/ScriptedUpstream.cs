using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AbstractEndpoint.Server.Tests.Infrastructure;

/// <summary>
/// A small HTTP/1.1 server on 127.0.0.1 that answers each request with what a script says: a raw response text, or
/// null to drop the connection without a byte. Every request it read is recorded (request line, headers, body), so a
/// test sees exactly what an upstream received. It answers <c>GET …/models</c> with 200 unless the script says otherwise.
/// </summary>
public sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<RecordedRequest, string?> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public ScriptedUpstream(Func<RecordedRequest, string?> script)
    {
        _script = script;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public Uri BaseUrl => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/v1");

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>A complete response with a JSON body.</summary>
    public static string Json(int status, string body, string extraHeaders = "") =>
        $"HTTP/1.1 {status} Status\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n{extraHeaders}\r\n{body}";

    /// <summary>A complete event-stream response with these <c>data:</c> payloads.</summary>
    public static string Stream(params string[] events) =>
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n" + string.Concat(events.Select(e => $"data: {e}\n\n"));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var buffer = new List<byte>();
            var chunk = new byte[4096];
            int headerEnd;
            while ((headerEnd = IndexOf(buffer, "\r\n\r\n"u8.ToArray())) < 0)
            {
                var read = await stream.ReadAsync(chunk);
                if (read == 0)
                {
                    return;
                }

                buffer.AddRange(chunk.AsSpan(0, read).ToArray());
            }

            var head = Encoding.ASCII.GetString([.. buffer.Take(headerEnd)]);
            var lines = head.Split("\r\n");
            var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
                .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
            var length = headers.TryGetValue("Content-Length", out var l) ? int.Parse(l, System.Globalization.CultureInfo.InvariantCulture) : 0;
            while (buffer.Count < headerEnd + 4 + length)
            {
                var read = await stream.ReadAsync(chunk);
                if (read == 0)
                {
                    break;
                }

                buffer.AddRange(chunk.AsSpan(0, read).ToArray());
            }

            var request = new RecordedRequest(lines[0], headers, Encoding.UTF8.GetString([.. buffer.Skip(headerEnd + 4)]));
            Requests.Enqueue(request);
            var response = _script(request);
            if (response is null && request.Line.StartsWith("GET", StringComparison.Ordinal))
            {
                response = Json(200, """{"object":"list","data":[]}""");
            }

            if (response is null)
            {
                client.Client.LingerState = new LingerOption(true, 0); // A reset, as a crashed upstream gives.
                return;
            }

            await stream.WriteAsync(Encoding.UTF8.GetBytes(response));
            await stream.FlushAsync();
        }
    }

    private static int IndexOf(List<byte> buffer, byte[] pattern)
    {
        for (var i = 0; i + pattern.Length <= buffer.Count; i++)
        {
            if (!pattern.Where((b, j) => buffer[i + j] != b).Any())
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>One request as <see cref="ScriptedUpstream"/> read it.</summary>
public sealed record RecordedRequest(string Line, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public bool IsChat => Line.StartsWith("POST", StringComparison.Ordinal) && Line.Contains("/chat/completions", StringComparison.Ordinal);
}

using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace AbstractEndpoint.Bench.Tests;

/// <summary>
/// A minimal OpenAI-style server on a loopback port (HttpListener, no Kestrel): GET /v1/models and
/// POST /v1/chat/completions, streaming one word per SSE chunk with configurable delays, and recording the
/// request bodies it received.
/// </summary>
internal sealed class FakeChatServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly List<JsonDocument> _requests = [];
    private int _closeRequests;

    public FakeChatServer()
    {
        var port = FreePort();
        BaseUrl = new Uri($"http://127.0.0.1:{port}/v1");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public Uri BaseUrl { get; }

    public TimeSpan FirstTokenDelay { get; init; } = TimeSpan.FromMilliseconds(40);

    public TimeSpan InterTokenDelay { get; init; } = TimeSpan.FromMilliseconds(10);

    public bool SendUsage { get; init; } = true;

    public int StatusCode { get; init; } = 200;

    /// <summary>Chat requests that asked for their connection to be closed (Connection: close).</summary>
    public int CloseRequests => Volatile.Read(ref _closeRequests);

    public IReadOnlyList<JsonDocument> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
        }

        foreach (var request in _requests)
        {
            request.Dispose();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task AcceptLoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            if (context.Request.HttpMethod == "GET" && context.Request.Url!.AbsolutePath == "/v1/models")
            {
                await WriteJsonAsync(response, """{"object":"list","data":[{"id":"fake-model","object":"model"}]}""");
                return;
            }

            if (!context.Request.KeepAlive)
            {
                Interlocked.Increment(ref _closeRequests);
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = JsonDocument.Parse(await reader.ReadToEndAsync());
            lock (_requests)
            {
                _requests.Add(body);
            }

            if (StatusCode != 200)
            {
                response.StatusCode = StatusCode;
                await WriteJsonAsync(response, """{"error":{"message":"the fake is told to fail"}}""");
                return;
            }

            var maxTokens = body.RootElement.GetProperty("max_tokens").GetInt32();
            if (body.RootElement.TryGetProperty("stream", out var stream) && stream.GetBoolean())
            {
                await StreamAsync(response, maxTokens);
            }
            else
            {
                await Task.Delay(FirstTokenDelay + (InterTokenDelay * (maxTokens - 1)));
                await WriteJsonAsync(response,
                    $$$"""{"choices":[{"index":0,"message":{"role":"assistant","content":"{{{Words(maxTokens)}}}"},"finish_reason":"length"}],"usage":{"prompt_tokens":11,"completion_tokens":{{{maxTokens}}},"total_tokens":{{{11 + maxTokens}}}}}""");
            }
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client went away; nothing to do.
        }
        finally
        {
            response.Close();
        }
    }

    private async Task StreamAsync(HttpListenerResponse response, int maxTokens)
    {
        response.ContentType = "text/event-stream";
        response.SendChunked = true;
        var output = response.OutputStream;

        async Task SendAsync(string data)
        {
            var bytes = Encoding.UTF8.GetBytes($"data: {data}\n\n");
            await output.WriteAsync(bytes);
            await output.FlushAsync();
        }

        await SendAsync("""{"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}""");
        await Task.Delay(FirstTokenDelay);
        for (var i = 0; i < maxTokens; i++)
        {
            if (i > 0)
            {
                await Task.Delay(InterTokenDelay);
            }

            await SendAsync($$$"""{"choices":[{"index":0,"delta":{"content":"w{{{i}}} "}}]}""");
        }

        await SendAsync("""{"choices":[{"index":0,"delta":{},"finish_reason":"length"}]}""");
        if (SendUsage)
        {
            await SendAsync($$$"""{"choices":[],"usage":{"prompt_tokens":11,"completion_tokens":{{{maxTokens}}},"total_tokens":{{{11 + maxTokens}}}}}""");
        }

        await SendAsync("[DONE]");
    }

    private static async Task WriteJsonAsync(HttpListenerResponse response, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
    }

    private static string Words(int count) => string.Join(' ', Enumerable.Range(0, count).Select(i => $"w{i}"));
}

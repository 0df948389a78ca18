using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Protocol.OpenAI.Upstream;

namespace AbstractEndpoint.Providers;

/// <summary>
/// The HTTP side every remote backend of one upstream shares (chat, completions, embeddings): one pooled
/// <see cref="HttpClient"/>, this server's credential, retries only before the first byte (no connection, or a
/// 502/503/504), the upstream's errors as <see cref="UpstreamException"/>s with its status, a bound on silence, the
/// reachability probe for <c>/health</c>, and the counters <c>/status</c> reports. Cancelling a request's token (the
/// client went away) disposes its response, which closes the upstream connection and so cancels the upstream's work.
/// </summary>
internal sealed class UpstreamConnection : IDisposable
{
    private readonly HttpClient _http;
    private int _pending;
    private long _generated;
    private volatile string? _problem;

    public UpstreamConnection(UpstreamSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        _http = UpstreamHttp.Create(settings);
        Name = $"the upstream provider '{settings.Provider.Name}' at {settings.BaseUrl.GetLeftPart(UriPartial.Authority)}";
    }

    public UpstreamSettings Settings { get; }

    /// <summary>How messages name the upstream (<c>the upstream provider 'vllm' at http://host:8000</c>).</summary>
    public string Name { get; }

    /// <summary>Why the upstream cannot serve now (the last probe's finding), or null.</summary>
    public string? Problem => _problem;

    /// <summary>Requests being forwarded now.</summary>
    public int PendingRequests => Volatile.Read(ref _pending);

    /// <summary>Tokens the upstream generated for this server (from its usage).</summary>
    public long GeneratedTokensTotal => Interlocked.Read(ref _generated);

    /// <summary>
    /// Posts <paramref name="body"/> to <paramref name="path"/>, asking for a stream, and reads the server-sent events
    /// with <paramref name="reader"/>: <see cref="ChatAccepted"/> once the upstream answered 200, then every update
    /// as soon as its event is read, then the reader's finished updates.
    /// </summary>
    public async IAsyncEnumerable<ChatUpdate> StreamAsync(
        string path, byte[] body, IUpstreamChatStreamReader reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Interlocked.Increment(ref _pending);
        try
        {
            using var response = await PostAsync(path, body, eventStream: true, cancellationToken).ConfigureAwait(false);
            yield return new ChatAccepted(0);

            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var events = ServerSentEvents.ReadAsync(stream, Settings.IdleTimeout, cancellationToken).GetAsyncEnumerator(cancellationToken);
                await using (events.ConfigureAwait(false))
                {
                    while (await NextAsync(events, cancellationToken).ConfigureAwait(false))
                    {
                        if (events.Current.Trim() == "[DONE]")
                        {
                            break;
                        }

                        foreach (var update in ReadChunk(reader, events.Current))
                        {
                            yield return update;
                        }
                    }
                }
            }

            var finished = reader.Finish();
            Interlocked.Add(ref _generated, reader.Usage?.CompletionTokens ?? 0);
            foreach (var update in finished)
            {
                yield return update;
            }
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    /// <summary>Posts <paramref name="body"/> to <paramref name="path"/> and returns the whole successful reply's body.</summary>
    public async Task<byte[]> PostForBodyAsync(string path, byte[] body, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _pending);
        try
        {
            using var response = await PostAsync(path, body, eventStream: false, cancellationToken).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Settings.IdleTimeout);
            try
            {
                return await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new UpstreamException($"{Name} did not finish its reply within {Settings.IdleTimeout.TotalSeconds:F0} s.", 504, code: "upstream_timeout");
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                throw new UpstreamException($"{Name} broke off its reply: {ex.Message}", 502, code: "upstream_stream_broken", inner: ex);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    /// <summary>
    /// Asks the upstream whether it answers (<c>GET /models</c>) and records the answer for <c>/health</c>. Any reply
    /// but a 5xx or a refused credential counts as reachable (some servers have no <c>/models</c>).
    /// </summary>
    public async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Settings.ConnectTimeout);
            using var request = UpstreamHttp.Request(Settings, HttpMethod.Get, "models");
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            _problem = status is 401 or 403
                ? $"{Name} refused this server's credential ({status}); set --upstream-api-key or {Settings.Provider.ApiKeyVariable ?? "ABSTRACTENDPOINT_UPSTREAM_API_KEY"}"
                : status >= 500 ? $"{Name} answered {status}" : null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _problem = $"{Name} did not answer within {Settings.ConnectTimeout.TotalSeconds:F0} s";
        }
        catch (HttpRequestException ex)
        {
            _problem = $"{Name} is unreachable: {ex.Message}";
        }

        return _problem;
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> PostAsync(string path, byte[] body, bool eventStream, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var retriesLeft = attempt < Settings.Retries;
            using var request = UpstreamHttp.Request(Settings, HttpMethod.Post, path);
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(eventStream ? "text/event-stream" : "application/json"));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Settings.IdleTimeout);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new UpstreamException(
                    $"{Name} did not answer within {Settings.IdleTimeout.TotalSeconds:F0} s.", 504, code: "upstream_timeout");
            }
            catch (HttpRequestException ex) when (retriesLeft)
            {
                _ = ex; // Nothing was answered: the request is safe to send again.
                await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (HttpRequestException ex)
            {
                throw new UpstreamException($"{Name} could not be reached: {ex.Message}", 502, code: "upstream_unreachable", inner: ex);
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                if (retriesLeft && response.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout)
                {
                    await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                byte[] errorBody;
                try
                {
                    errorBody = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (HttpRequestException)
                {
                    errorBody = Encoding.UTF8.GetBytes(response.ReasonPhrase ?? "");
                }

                var error = UpstreamErrorReader.FromResponse(status, errorBody, Name);
                var retryAfter = response.Headers.RetryAfter?.Delta;
                throw retryAfter is { } delta
                    ? new UpstreamException(error.Message, error.StatusCode, error.Type, error.Code) { RetryAfterSeconds = (int)Math.Ceiling(delta.TotalSeconds) }
                    : error;
            }
        }
    }

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(200 * (attempt + 1));

    private async ValueTask<bool> NextAsync(IAsyncEnumerator<string> events, CancellationToken cancellationToken)
    {
        try
        {
            return await events.MoveNextAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            throw new UpstreamException($"{Name} broke off the stream: {ex.Message}", 502, code: "upstream_stream_broken", inner: ex);
        }
    }

    private IReadOnlyList<ChatUpdate> ReadChunk(IUpstreamChatStreamReader reader, string data)
    {
        try
        {
            return reader.Read(Encoding.UTF8.GetBytes(data));
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new UpstreamException($"{Name} sent a chunk that is not JSON: {ex.Message}", 502, code: "upstream_bad_reply", inner: ex);
        }
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Protocol.Anthropic.Upstream;
using AbstractEndpoint.Protocol.OpenAI.Upstream;

namespace AbstractEndpoint.Providers;

/// <summary>
/// A remote model behind an OpenAI chat-completions API (OpenAI, OpenRouter, Portkey, LM Studio, vLLM, Ollama's
/// <c>/v1</c>, llama.cpp's server, this server) or Anthropic's Messages API (<see cref="RemoteProvider.Api"/>): the
/// request is written from the domain request in the provider's API, the upstream's
/// stream is read chunk by chunk and every update is passed on as soon as it is read. A request that fails before
/// the first byte (no connection, 502/503/504) is retried; once bytes flow it never is. Cancelling the token
/// (the client went away) disposes the response, which closes the upstream connection and so cancels its work.
/// </summary>
public sealed class RemoteChatBackend : IChatBackend, IBackendStatus, IBackendHealth, IDisposable
{
    private readonly UpstreamSettings _settings;
    private readonly HttpClient _http;
    private readonly string _upstreamName;
    private int _pending;
    private long _generated;
    private volatile string? _problem;

    public RemoteChatBackend(UpstreamSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _http = UpstreamHttp.Create(settings);
        _upstreamName = $"the upstream provider '{settings.Provider.Name}' at {settings.BaseUrl.GetLeftPart(UriPartial.Authority)}";
        PromptCaches = new KeyedPromptCacheControl(settings.Provider.Name, settings.Model);
    }

    /// <summary>The keyed control plane: its default key goes upstream with a chat that names no key.</summary>
    public KeyedPromptCacheControl PromptCaches { get; }

    public string ModelId => _settings.ModelId;

    public UpstreamSettings Settings => _settings;

    /// <inheritdoc/>
    public string? Problem => _problem;

    public IReadOnlyList<SlotSnapshot> Slots => [];

    public int PendingRequests => Volatile.Read(ref _pending);

    /// <summary>Requests wait in the upstream's queue, not here.</summary>
    public int QueuedRequests => 0;

    public long GeneratedTokensTotal => Interlocked.Read(ref _generated);

    public int? ContextSize => null;

    public async IAsyncEnumerable<ChatUpdate> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.PromptCacheKey is null && PromptCaches.DefaultKey is { } defaultKey)
        {
            request = request with { PromptCacheKey = defaultKey };
        }

        var anthropic = _settings.Provider.Api == RemoteApi.AnthropicMessages;
        var body = anthropic ? MessagesRequestWireWriter.Write(request, _settings.Model) : ChatRequestWireWriter.Write(request, _settings.Model);
        Interlocked.Increment(ref _pending);
        try
        {
            using var response = await SendAsync(body, cancellationToken).ConfigureAwait(false);
            yield return new ChatAccepted(0);

            IUpstreamChatStreamReader reader = anthropic ? new MessagesStreamReader() : new ChatChunkReader();
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var events = ServerSentEvents.ReadAsync(stream, _settings.IdleTimeout, cancellationToken).GetAsyncEnumerator(cancellationToken);
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

    /// <summary>
    /// Asks the upstream whether it answers (<c>GET /models</c>) and records the answer for <c>/health</c>. Any reply
    /// but a 5xx or a refused credential counts as reachable (some servers have no <c>/models</c>).
    /// </summary>
    public async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_settings.ConnectTimeout);
            using var request = UpstreamHttp.Request(_settings, HttpMethod.Get, "models");
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            _problem = status is 401 or 403
                ? $"{_upstreamName} refused this server's credential ({status}); set --upstream-api-key or {_settings.Provider.ApiKeyVariable ?? "ABSTRACTENDPOINT_UPSTREAM_API_KEY"}"
                : status >= 500 ? $"{_upstreamName} answered {status}" : null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _problem = $"{_upstreamName} did not answer within {_settings.ConnectTimeout.TotalSeconds:F0} s";
        }
        catch (HttpRequestException ex)
        {
            _problem = $"{_upstreamName} is unreachable: {ex.Message}";
        }

        return _problem;
    }

    /// <summary>Probes now, then every <see cref="UpstreamSettings.ProbeInterval"/> until <paramref name="stopping"/>.</summary>
    public async Task MonitorAsync(Action<string?> changed, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(changed);
        using var timer = new PeriodicTimer(_settings.ProbeInterval);
        string? last = "";
        try
        {
            do
            {
                var problem = await ProbeAsync(stopping).ConfigureAwait(false);
                if (problem != last)
                {
                    changed(problem);
                    last = problem;
                }
            }
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(byte[] body, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var retriesLeft = attempt < _settings.Retries;
            using var request = UpstreamHttp.Request(
                _settings, HttpMethod.Post, _settings.Provider.Api == RemoteApi.AnthropicMessages ? "messages" : "chat/completions");
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_settings.IdleTimeout);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new UpstreamException(
                    $"{_upstreamName} did not answer within {_settings.IdleTimeout.TotalSeconds:F0} s.", 504, code: "upstream_timeout");
            }
            catch (HttpRequestException ex) when (retriesLeft)
            {
                _ = ex; // Nothing was answered: the request is safe to send again.
                await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (HttpRequestException ex)
            {
                throw new UpstreamException($"{_upstreamName} could not be reached: {ex.Message}", 502, code: "upstream_unreachable", inner: ex);
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

                var error = UpstreamErrorReader.FromResponse(status, errorBody, _upstreamName);
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
            throw new UpstreamException($"{_upstreamName} broke off the stream: {ex.Message}", 502, code: "upstream_stream_broken", inner: ex);
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
            throw new UpstreamException($"{_upstreamName} sent a chunk that is not JSON: {ex.Message}", 502, code: "upstream_bad_reply", inner: ex);
        }
    }
}

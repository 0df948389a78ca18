using System.Runtime.CompilerServices;
using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Protocol.Anthropic.Upstream;
using AbstractEndpoint.Protocol.OpenAI.Upstream;

namespace AbstractEndpoint.Providers;

/// <summary>
/// A remote model behind an OpenAI chat-completions API (OpenAI, OpenRouter, Portkey, LM Studio, vLLM, Ollama's
/// <c>/v1</c>, llama.cpp's server, this server) or Anthropic's Messages API (<see cref="RemoteProvider.Api"/>): the
/// request is written from the domain request in the provider's API, the upstream's
/// stream is read chunk by chunk and every update is passed on as soon as it is read. The HTTP side (retries only
/// before the first byte, errors, cancellation, the probe) is <see cref="UpstreamConnection"/>, shared with the
/// OpenAI-style upstream's completions and embeddings (<see cref="Completions"/>, <see cref="Embeddings"/>).
/// </summary>
public sealed class RemoteChatBackend : IChatBackend, IBackendStatus, IBackendHealth, IDisposable
{
    private readonly UpstreamConnection _connection;

    public RemoteChatBackend(UpstreamSettings settings)
    {
        _connection = new UpstreamConnection(settings);
        PromptCaches = new KeyedPromptCacheControl(settings.Provider.Name, settings.Model);
        if (settings.Provider.Api == RemoteApi.OpenAIChat)
        {
            Completions = new RemoteTextCompletionBackend(_connection);
            Embeddings = new RemoteEmbeddingBackend(_connection);
        }
    }

    /// <summary>The keyed control plane: its default key goes upstream with a chat that names no key.</summary>
    public KeyedPromptCacheControl PromptCaches { get; }

    /// <summary>
    /// The upstream's <c>/completions</c> over the same connections; null for an API without it (Anthropic's Messages).
    /// </summary>
    public ITextCompletionBackend? Completions { get; }

    /// <summary>The upstream's <c>/embeddings</c> over the same connections; null for an API without it.</summary>
    public IEmbeddingBackend? Embeddings { get; }

    public string ModelId => _connection.Settings.ModelId;

    public UpstreamSettings Settings => _connection.Settings;

    /// <inheritdoc/>
    public string? Problem => _connection.Problem;

    public IReadOnlyList<SlotSnapshot> Slots => [];

    /// <summary>Every request in flight to the upstream (chat, completions, embeddings).</summary>
    public int PendingRequests => _connection.PendingRequests;

    /// <summary>Requests wait in the upstream's queue, not here.</summary>
    public int QueuedRequests => 0;

    public long GeneratedTokensTotal => _connection.GeneratedTokensTotal;

    public int? ContextSize => null;

    public async IAsyncEnumerable<ChatUpdate> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.PromptCacheKey is null && PromptCaches.DefaultKey is { } defaultKey)
        {
            request = request with { PromptCacheKey = defaultKey };
        }

        var model = _connection.Settings.Model;
        var updates = _connection.Settings.Provider.Api == RemoteApi.AnthropicMessages
            ? _connection.StreamAsync(
                "messages", MessagesRequestWireWriter.Write(request, model), new MessagesStreamReader(MessagesRequestWireWriter.AnswerTool(request)), cancellationToken)
            : _connection.StreamAsync("chat/completions", ChatRequestWireWriter.Write(request, model), new ChatChunkReader(), cancellationToken);
        await foreach (var update in updates.ConfigureAwait(false))
        {
            yield return update;
        }
    }

    /// <inheritdoc cref="UpstreamConnection.ProbeAsync"/>
    public Task<string?> ProbeAsync(CancellationToken cancellationToken) => _connection.ProbeAsync(cancellationToken);

    /// <summary>Probes now, then every <see cref="UpstreamSettings.ProbeInterval"/> until <paramref name="stopping"/>.</summary>
    public async Task MonitorAsync(Action<string?> changed, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(changed);
        using var timer = new PeriodicTimer(_connection.Settings.ProbeInterval);
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

    public void Dispose() => _connection.Dispose();
}

using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Host.Observability;

namespace AbstractEndpoint.Host.Hosting;

/// <summary>
/// The one model of this process, published once loaded. The port opens before loading starts, so request
/// handlers ask here and get a 503 while <see cref="Status"/> is <see cref="ModelStatus.Loading"/>.
/// The published backends are observed (<see cref="ObservedChatBackend"/>, <see cref="ObservedTextCompletionBackend"/>,
/// <see cref="TimedEmbeddingBackend"/>), so every route that generates is measured
/// in <see cref="Metrics"/>, logged and held to the <see cref="RequestLimits"/> without code of its own.
/// </summary>
public sealed class ModelState : IDisposable
{
    private volatile ModelStatus _status = ModelStatus.Loading;

    private readonly RequestLimits _limits;

    public ModelState(string modelId, RequestLimits? limits = null)
    {
        ModelId = modelId;
        _limits = limits ?? RequestLimits.None;
        Metrics = new EndpointMetrics(() => Model?.Status);
    }

    public string ModelId { get; }

    public ModelStatus Status => _status;

    /// <summary>Why loading failed, when it did.</summary>
    public string? Error { get; private set; }

    /// <summary>The loaded model's capabilities; null until it is ready.</summary>
    public LoadedModel? Model { get; private set; }

    /// <summary>The server's instruments; the engine's gauges read the published model's <see cref="LoadedModel.Status"/>.</summary>
    public EndpointMetrics Metrics { get; }

    /// <summary>Unix time the server started; <c>/v1/models</c> reports it as <c>created</c>.</summary>
    public long Created { get; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>The model, or a 503 while it is not ready.</summary>
    public LoadedModel RequireModel() => Model ?? throw new ServerBusyException(
        _status == ModelStatus.Failed ? "The model failed to load: " + Error : "The model is still loading. Retry shortly.",
        _status == ModelStatus.Failed ? 60 : 2,
        "model_not_ready");

    /// <summary>The chat backend, or a 503 while the model is not ready.</summary>
    public IChatBackend RequireBackend() => RequireModel().Chat;

    public void SetReady(LoadedModel model)
    {
        Publish(model);
        MarkReady();
    }

    /// <summary>
    /// Serves the model while <see cref="Status"/> still says loading: the start-up warm-up's requests go through the
    /// routes before <c>/health</c> turns healthy (a client that does not wait for it is served too).
    /// </summary>
    public void Publish(LoadedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        // A backend published again (a test swapping one part) is unwrapped first, so it is observed once.
        Model = model with
        {
            Chat = new ObservedChatBackend(model.Chat is ObservedChatBackend chat ? chat.Inner : model.Chat, Metrics, _limits),
            Completions = model.Completions switch
            {
                null => null,
                ObservedTextCompletionBackend observed => new ObservedTextCompletionBackend(observed.Inner, Metrics, _limits),
                { } completions => new ObservedTextCompletionBackend(completions, Metrics, _limits),
            },
            Embeddings = model.Embeddings switch
            {
                null => null,
                TimedEmbeddingBackend timed => new TimedEmbeddingBackend(timed.Inner, _limits),
                { } embeddings => new TimedEmbeddingBackend(embeddings, _limits),
            },
        };
    }

    /// <summary>Reports the published model ready (<c>/health</c> healthy).</summary>
    public void MarkReady()
    {
        if (Model is null)
        {
            throw new InvalidOperationException("No model is published.");
        }

        _status = ModelStatus.Ready;
    }

    public void SetFailed(string error)
    {
        Error = error;
        _status = ModelStatus.Failed;
    }

    public void Dispose() => Metrics.Dispose();
}

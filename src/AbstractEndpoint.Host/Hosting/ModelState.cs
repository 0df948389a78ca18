using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Errors;

namespace AbstractEndpoint.Host.Hosting;

/// <summary>
/// The one model of this process, published once loaded. The port opens before loading starts, so request
/// handlers ask here and get a 503 while <see cref="Status"/> is <see cref="ModelStatus.Loading"/>.
/// </summary>
public sealed class ModelState(string modelId)
{
    private volatile ModelStatus _status = ModelStatus.Loading;

    public string ModelId { get; } = modelId;

    public ModelStatus Status => _status;

    /// <summary>Why loading failed, when it did.</summary>
    public string? Error { get; private set; }

    /// <summary>The loaded model's capabilities; null until it is ready.</summary>
    public LoadedModel? Model { get; private set; }

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
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        _status = ModelStatus.Ready;
    }

    public void SetFailed(string error)
    {
        Error = error;
        _status = ModelStatus.Failed;
    }
}

namespace AbstractEndpoint.Host.Hosting;

/// <summary>Where the model is in its life; <c>/health</c> reports it.</summary>
public enum ModelStatus
{
    Loading,
    Ready,
    Failed,
}

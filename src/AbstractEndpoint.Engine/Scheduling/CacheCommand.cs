namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>
/// A KV mutation on a named cache's sequence, run on the inference loop in arrival order (never from a request
/// thread); the caller awaits <see cref="Completion"/>.
/// </summary>
internal sealed class CacheCommand(Action<InferenceLoop> apply)
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Completion => _completion.Task;

    public void Apply(InferenceLoop loop) => apply(loop);

    public void Done() => _completion.TrySetResult();

    public void Fail(Exception error) => _completion.TrySetException(error);
}

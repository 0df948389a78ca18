namespace AbstractEndpoint.Core.Generation;

/// <summary>Folds the per-choice usages of one request: the prompt counts once, completions add up.</summary>
public sealed class UsageTotal
{
    private Usage? _total;

    public Usage? Total => _total;

    public void Add(Usage choice) =>
        _total = _total is null ? choice : _total with { CompletionTokens = _total.CompletionTokens + choice.CompletionTokens };
}

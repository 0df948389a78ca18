using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Runtime;

namespace AbstractEndpoint.Engine.Tests.Fakes;

/// <summary>
/// Greedy over the fake's logits: returns the token the model predicted for the row. When the request has a logit
/// bias or asks for log probabilities, the row gets real logits — <see cref="PredictedLogit"/> for the prediction,
/// <see cref="RunnerUpLogit"/> for <see cref="RunnerUp"/>, 0 for every other token — the bias is added, the
/// highest wins (so a banned prediction gives way to the runner-up, as <c>ignore_eos</c> needs), and the log
/// probabilities are their log-softmax.
/// </summary>
public sealed class FakeSampler(FakeModelRuntime runtime, SamplingOptions? options = null) : ITokenSampler
{
    public const float PredictedLogit = 5f;
    public const float RunnerUpLogit = 3f;

    /// <summary>The second most likely token of every row: '_'.</summary>
    public const int RunnerUp = '_';

    private bool _disposed;

    public SampledLogprobs? LastLogprobs { get; private set; }

    public int Sample(int batchRow)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var predicted = runtime.PredictionAt(batchRow);
        if (options is null || (options.LogitBias.Count == 0 && options.TopLogprobs is null))
        {
            return predicted;
        }

        var logits = new float[runtime.Vocabulary.VocabularySize];
        logits[RunnerUp] = RunnerUpLogit;
        logits[predicted] = PredictedLogit;
        foreach (var (token, bias) in options.LogitBias)
        {
            logits[token] += bias;
        }

        var chosen = 0;
        for (var token = 1; token < logits.Length; token++)
        {
            if (logits[token] > logits[chosen])
            {
                chosen = token;
            }
        }

        LastLogprobs = options.TopLogprobs is { } top ? LogSoftmax.Of(logits, chosen, top) : null;
        return chosen;
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            runtime.SamplerDisposed();
        }
    }
}

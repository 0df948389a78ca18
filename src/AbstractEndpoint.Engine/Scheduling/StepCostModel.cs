namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>
/// What a decode step costs, learned from the steps the loop has run: a line, milliseconds = fixed + per-token ×
/// tokens, fitted by least squares over the recorded steps with older ones weighing exponentially less. On a CPU a
/// step's cost is close to linear in its tokens (the fixed part is reading the weights once per step); the machine's
/// load and the KV cache's fill move the line while the server runs, hence the decay.
/// </summary>
internal sealed class StepCostModel
{
    /// <summary>Weight left to a step after each newer one: the last ~20 steps carry most of the fit.</summary>
    public const double Decay = 0.95;

    /// <summary>
    /// Weighted variance of step sizes (tokens²) below which the steps say nothing about the slope: the last slope
    /// found is kept and only the fixed part follows the recent steps.
    /// </summary>
    private const double MinimumSpread = 1.0;

    private double _weight;
    private double _tokens;
    private double _milliseconds;
    private double _tokensSquared;
    private double _tokensTimesMilliseconds;
    private double? _slope;

    /// <summary>True once a step has been recorded; until then nothing can be predicted.</summary>
    public bool HasEstimate => _weight > 0 && _tokens > 0;

    /// <summary>What one more token in a step costs.</summary>
    public double MillisecondsPerToken => _slope ?? (HasEstimate ? _milliseconds / _tokens : 0);

    /// <summary>What a step costs whatever its size (zero until steps of different sizes have been seen).</summary>
    public double FixedMilliseconds =>
        _slope is { } slope ? Math.Max(0, (_milliseconds - (slope * _tokens)) / _weight) : 0;

    /// <summary>Records a successful step of <paramref name="tokens"/> rows that took <paramref name="milliseconds"/>.</summary>
    public void Record(int tokens, double milliseconds)
    {
        if (tokens <= 0 || !double.IsFinite(milliseconds) || milliseconds < 0)
        {
            return;
        }

        _weight = (_weight * Decay) + 1;
        _tokens = (_tokens * Decay) + tokens;
        _milliseconds = (_milliseconds * Decay) + milliseconds;
        _tokensSquared = (_tokensSquared * Decay) + ((double)tokens * tokens);
        _tokensTimesMilliseconds = (_tokensTimesMilliseconds * Decay) + (tokens * milliseconds);

        var meanTokens = _tokens / _weight;
        var spread = (_tokensSquared / _weight) - (meanTokens * meanTokens);
        if (spread >= MinimumSpread)
        {
            var slope = ((_tokensTimesMilliseconds / _weight) - (meanTokens * (_milliseconds / _weight))) / spread;
            if (slope > 0)
            {
                _slope = slope;
            }
        }
    }

    /// <summary>The expected time of a step of <paramref name="tokens"/> rows.</summary>
    public double Predict(int tokens) => FixedMilliseconds + (MillisecondsPerToken * tokens);
}

using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Runtime;
using LLama.Native;

namespace AbstractEndpoint.Llama;

/// <summary>
/// A llama.cpp sampler chain built from a request's options, in llama-server's order: logit bias, penalties,
/// then greedy (temperature 0) or top-k → top-p → min-p → temperature → seeded draw.
/// </summary>
internal sealed class LlamaSampler : ITokenSampler
{
    private readonly SafeLLamaSamplerChainHandle _chain;
    private readonly SafeLLamaContextHandle _context;

    public LlamaSampler(SafeLLamaContextHandle context, int vocabularySize, SamplingOptions options)
    {
        _context = context;
        _chain = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());

        if (options.LogitBias.Count > 0)
        {
            var biases = options.LogitBias
                .Select(pair => new LLamaLogitBias { Token = pair.Key, Bias = pair.Value })
                .ToArray();
            _chain.AddLogitBias(vocabularySize, biases);
        }

        if (options.RepeatPenalty != 1f || options.FrequencyPenalty != 0f || options.PresencePenalty != 0f)
        {
            _chain.AddPenalties(options.PenaltyLastN, options.RepeatPenalty, options.FrequencyPenalty, options.PresencePenalty);
        }

        if (options.Temperature <= 0f)
        {
            _chain.AddGreedySampler();
            return;
        }

        if (options.TopK > 0)
        {
            _chain.AddTopK(options.TopK);
        }

        if (options.TopP < 1f)
        {
            _chain.AddTopP(options.TopP, 1);
        }

        if (options.MinP > 0f)
        {
            _chain.AddMinP(options.MinP, 1);
        }

        _chain.AddTemperature(options.Temperature);
        _chain.AddDistributionSampler(options.Seed ?? (uint)Random.Shared.Next());
    }

    public int Sample(int batchRow) => (int)_chain.Sample(_context, batchRow);

    public void Dispose() => _chain.Dispose();
}

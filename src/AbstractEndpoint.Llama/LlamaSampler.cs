using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Runtime;
using LLama.Native;

namespace AbstractEndpoint.Llama;

/// <summary>
/// A llama.cpp sampler chain built from a request's options, in llama-server's order: logit bias, penalties,
/// then greedy (temperature 0) or top-k → typical-p → top-p → min-p → temperature → seeded draw. A request's
/// <c>samplers</c> reorders (or leaves out) the stages between logit bias and the draw.
/// <para>
/// Log probabilities (only when asked for) are a log-softmax of the row's logits with the logit bias added and,
/// while a grammar constrains the token, the grammar's mask applied (disallowed tokens get negative infinity and
/// are never listed), taken before the grammar accepts the token. Penalties, temperature and the truncating
/// samplers do not enter them.
/// </para>
/// <para>
/// A grammar is kept beside the chain and applied before it, as llama.cpp's common sampler does
/// (<c>common/sampling.cpp</c>: the grammar sampler is not in the chain; <c>common_sampler_sample</c> first draws
/// through the chain, keeps the token when the grammar allows it, and otherwise applies the grammar to the fresh
/// logits, then the chain, and draws again). For greedy and plain temperature sampling that is exactly the
/// grammar-first distribution (top-k/top-p may cut a little differently, as in llama.cpp), and the costly grammar
/// pass over the whole vocabulary is only paid when the unconstrained draw breaks the grammar.
/// </para>
/// <para>
/// A lazy grammar (tool calls the model may or may not make) is inactive until <see cref="GrammarTrigger"/> sees its
/// trigger in the output; the text from the trigger point on is then fed to the grammar byte by byte, each byte
/// checked first, because a byte the grammar refuses would make llama.cpp throw a C++ exception through the
/// native boundary and end the process. Text that does not fit the grammar leaves the reply unconstrained; the
/// output parser then reports the call as failed or the text as content.
/// </para>
/// </summary>
internal sealed class LlamaSampler : ITokenSampler
{
    private readonly SafeLLamaSamplerChainHandle _chain;
    private readonly SafeLLamaContextHandle _context;
    private readonly LlamaVocabulary _vocabulary;
    private readonly byte[] _piece = new byte[256];
    private GrammarSamplerHandle? _grammar;

    // Set while a lazy grammar waits for its trigger; cleared when it fires (or the grammar is given up).
    private GrammarTrigger? _trigger;
    private LLamaTokenData[] _candidates = [];

    // Log probabilities: null when not asked for, so an ordinary request pays nothing.
    private readonly int? _topLogprobs;
    private readonly LLamaLogitBias[] _biases;
    private float[] _logprobLogits = [];

    public LlamaSampler(SafeLLamaContextHandle context, LlamaVocabulary vocabulary, SamplingOptions options)
    {
        _context = context;
        _vocabulary = vocabulary;
        _chain = CreateChain(vocabulary.VocabularySize, (int)context.ContextSize, options);
        _topLogprobs = options.TopLogprobs;
        _biases = [.. options.LogitBias.Select(pair => new LLamaLogitBias { Token = pair.Key, Bias = pair.Value })];
        if (options.Grammar is { } grammar)
        {
            _grammar = LlamaGrammarNative.CreateGrammar(vocabulary.NativeVocabulary, grammar.Gbnf, grammar.Root);
            if (_grammar is null)
            {
                _chain.Dispose();
                throw new InvalidRequestException("llama.cpp could not parse the grammar built for this request.", null, "invalid_grammar");
            }

            _trigger = grammar.Lazy ? new GrammarTrigger(grammar.TriggerPatterns) : null;
        }
    }

    public SampledLogprobs? LastLogprobs { get; private set; }

    public int Sample(int batchRow)
    {
        if (_grammar is not null && _trigger is null)
        {
            return SampleWithGrammar(batchRow, _grammar);
        }

        var token = (int)_chain.Sample(_context, batchRow);
        if (_topLogprobs is { } top)
        {
            // Sampling copies the logits; the row still holds the model's own.
            LastLogprobs = Logprobs(batchRow, token, top, grammar: null);
        }

        if (_trigger is not null)
        {
            WatchForTrigger(token, _trigger);
        }

        return token;
    }

    public bool Accept(int token)
    {
        if (_grammar is not null && _trigger is null)
        {
            // Accepting a token the grammar refuses would abort the process inside llama.cpp.
            if (!Allows(_grammar, token))
            {
                return false;
            }

            _chain.Accept(token);
            LlamaGrammarNative.Accept(_grammar, token);
            return true;
        }

        _chain.Accept(token);
        if (_trigger is not null)
        {
            WatchForTrigger(token, _trigger);
        }

        return true;
    }

    public void Dispose()
    {
        _grammar?.Dispose();
        _chain.Dispose();
    }

    private static readonly SamplerStage[] DefaultOrder =
        [SamplerStage.Penalties, SamplerStage.TopK, SamplerStage.TypicalP, SamplerStage.TopP, SamplerStage.MinP, SamplerStage.Temperature];

    private static SafeLLamaSamplerChainHandle CreateChain(int vocabularySize, int contextSize, SamplingOptions options)
    {
        var chain = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
        if (options.LogitBias.Count > 0)
        {
            var biases = options.LogitBias
                .Select(pair => new LLamaLogitBias { Token = pair.Key, Bias = pair.Value })
                .ToArray();
            chain.AddLogitBias(vocabularySize, biases);
        }

        var order = options.Order ?? DefaultOrder;
        foreach (var stage in order)
        {
            // Temperature 0 is greedy: only the penalties still change which token is the most likely.
            if (options.Temperature <= 0f && stage != SamplerStage.Penalties)
            {
                continue;
            }

            AddStage(chain, stage, contextSize, options);
        }

        if (options.Temperature <= 0f)
        {
            chain.AddGreedySampler();
            return chain;
        }

        chain.AddDistributionSampler(options.Seed ?? (uint)Random.Shared.Next());
        return chain;
    }

    private static void AddStage(SafeLLamaSamplerChainHandle chain, SamplerStage stage, int contextSize, SamplingOptions options)
    {
        switch (stage)
        {
            case SamplerStage.Penalties when options.RepeatPenalty != 1f || options.FrequencyPenalty != 0f || options.PresencePenalty != 0f:
                // repeat_last_n -1 means the whole context, as in llama-server.
                chain.AddPenalties(options.PenaltyLastN < 0 ? contextSize : options.PenaltyLastN,
                    options.RepeatPenalty, options.FrequencyPenalty, options.PresencePenalty);
                break;
            case SamplerStage.TopK when options.TopK > 0:
                chain.AddTopK(options.TopK);
                break;
            case SamplerStage.TypicalP when options.TypicalP < 1f:
                chain.AddTypical(options.TypicalP, 1);
                break;
            case SamplerStage.TopP when options.TopP < 1f:
                chain.AddTopP(options.TopP, 1);
                break;
            case SamplerStage.MinP when options.MinP > 0f:
                chain.AddMinP(options.MinP, 1);
                break;
            case SamplerStage.Temperature:
                chain.AddTemperature(options.Temperature);
                break;
        }
    }

    // The row's logits with the logit bias added and, when given, the grammar's mask; then their log-softmax.
    private SampledLogprobs Logprobs(int batchRow, int token, int top, GrammarSamplerHandle? grammar)
    {
        var logits = _context.GetLogitsIth(batchRow);
        if (_logprobLogits.Length != logits.Length)
        {
            _logprobLogits = new float[logits.Length];
        }

        logits.CopyTo(_logprobLogits);
        foreach (var bias in _biases)
        {
            if ((int)bias.Token >= 0 && (int)bias.Token < _logprobLogits.Length)
            {
                _logprobLogits[(int)bias.Token] += bias.Bias;
            }
        }

        if (grammar is not null)
        {
            var candidates = new LLamaTokenData[_logprobLogits.Length];
            for (var i = 0; i < candidates.Length; i++)
            {
                candidates[i] = new LLamaTokenData(i, _logprobLogits[i], 0f);
            }

            using (LLamaTokenDataArrayNative.Create(new LLamaTokenDataArray(candidates), out var native))
            {
                LlamaGrammarNative.Apply(grammar, ref native);
                for (var i = 0; i < (int)native.Size; i++)
                {
                    var data = native.Data[i];
                    _logprobLogits[(int)data.ID] = data.Logit;
                }
            }
        }

        return LogSoftmax.Of(_logprobLogits, token, top);
    }

    private int SampleWithGrammar(int batchRow, GrammarSamplerHandle grammar)
    {
        var logits = _context.GetLogitsIth(batchRow);
        var token = Draw(logits, grammar: null);
        if (!Allows(grammar, token))
        {
            token = Draw(logits, grammar);
            if (!Allows(grammar, token) && !_vocabulary.IsEndOfGeneration(token))
            {
                // Nothing the grammar allows is left unbanned (it is complete and ignore_eos bans the end token):
                // the reply ends here, since accepting a refused token would abort the process inside llama.cpp.
                token = _vocabulary.EndToken ?? throw new InvalidOperationException("The grammar allows no further token.");
            }
        }

        if (_topLogprobs is { } top)
        {
            // Before the grammar accepts the token: the mask is the one the token was drawn under.
            LastLogprobs = Logprobs(batchRow, token, top, grammar);
        }

        _chain.Accept(token);
        if (!_vocabulary.IsEndOfGeneration(token))
        {
            // An end-of-generation token ends the reply; the grammar has nothing left to track.
            LlamaGrammarNative.Accept(grammar, token);
        }

        return token;
    }

    // One pass of the chain over fresh candidates from the logits, optionally masked by the grammar first.
    private int Draw(ReadOnlySpan<float> logits, GrammarSamplerHandle? grammar)
    {
        if (_candidates.Length != logits.Length)
        {
            _candidates = new LLamaTokenData[logits.Length];
        }

        for (var i = 0; i < logits.Length; i++)
        {
            _candidates[i] = new LLamaTokenData(i, logits[i], 0f);
        }

        using (LLamaTokenDataArrayNative.Create(new LLamaTokenDataArray(_candidates), out var native))
        {
            if (grammar is not null)
            {
                LlamaGrammarNative.Apply(grammar, ref native);
            }

            _chain.Apply(ref native);
            if (native.Selected < 0 || native.Selected >= (long)native.Size)
            {
                throw new InvalidOperationException("The sampler chain selected no token.");
            }

            return (int)native.Data[(int)native.Selected].ID;
        }
    }

    // Whether the grammar allows the token next, asked the way llama.cpp does: a one-candidate array it masks.
    private static bool Allows(GrammarSamplerHandle grammar, int token)
    {
        var single = new[] { new LLamaTokenData(token, 1f, 0f) };
        using (LLamaTokenDataArrayNative.Create(new LLamaTokenDataArray(single), out var native))
        {
            LlamaGrammarNative.Apply(grammar, ref native);
            return !float.IsNegativeInfinity(native.Data[0].Logit);
        }
    }

    private void WatchForTrigger(int token, GrammarTrigger trigger)
    {
        if (_vocabulary.IsEndOfGeneration(token))
        {
            return;
        }

        var length = _vocabulary.TokenToBytes(token, _piece, special: true);
        if (length <= 0 || length > _piece.Length || trigger.Add(_piece.AsSpan(0, length)) is not { } constrained)
        {
            return;
        }

        var grammar = _grammar!;
        foreach (var value in constrained)
        {
            var byteToken = _vocabulary.ByteToken(value);
            if (byteToken < 0 || !Allows(grammar, byteToken))
            {
                // Not a call this grammar can finish: sample freely from here on.
                grammar.Dispose();
                _grammar = null;
                _trigger = null;
                return;
            }

            LlamaGrammarNative.Accept(grammar, byteToken);
        }

        // From the next token on, every token is constrained.
        _trigger = null;
    }
}

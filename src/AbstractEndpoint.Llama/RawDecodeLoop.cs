using System.Diagnostics;
using LLama.Native;

namespace AbstractEndpoint.Llama;

/// <summary>
/// The engine ceiling for benchmarks: llama.cpp's plain prefill-then-greedy-decode loop through the same bindings,
/// model, context and threads as the server, with no scheduler, HTTP or detokenizing around it.
/// </summary>
public static class RawDecodeLoop
{
    /// <summary>
    /// Prefills <paramref name="prompt"/> once per sequence, then decodes <paramref name="generate"/> tokens greedily
    /// on every sequence at once, one token per sequence per step (what the server's batch holds at that concurrency).
    /// </summary>
    /// <param name="runtime">A loaded runtime whose inference loop is not running (the loop owns the context otherwise).</param>
    /// <param name="prompt">Prompt token ids.</param>
    /// <param name="generate">Tokens to generate per sequence; end-of-generation tokens are banned so exactly this many come out.</param>
    /// <param name="sequences">Sequences decoded together (at most the runtime's sequence count).</param>
    public static RawDecodeResult Run(LlamaRuntime runtime, IReadOnlyList<int> prompt, int generate, int sequences = 1)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequences, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sequences, runtime.Info.SequenceCount);
        var context = runtime.Context;
        context.MemorySequenceRemove((LLamaSeqId)(-1), -1, -1);
        var batch = new LLamaBatch();
        var vocabulary = runtime.Vocabulary;
        var bans = Enumerable.Range(0, vocabulary.VocabularySize)
            .Where(vocabulary.IsEndOfGeneration)
            .Select(t => new LLamaLogitBias { Token = t, Bias = float.NegativeInfinity })
            .ToArray();
        var samplers = Enumerable.Range(0, sequences).Select(_ => CreateGreedySampler(vocabulary.VocabularySize, bans)).ToArray();
        try
        {
            var started = Stopwatch.GetTimestamp();
            var lastRows = new int[sequences];
            var tokens = new LLamaToken[sequences];
            var batchSize = runtime.Info.BatchSize;
            for (var s = 0; s < sequences; s++)
            {
                // Each sequence computes its own prompt, as each request's does on the server.
                for (var position = 0; position < prompt.Count; position += batchSize)
                {
                    batch.Clear();
                    var take = Math.Min(batchSize, prompt.Count - position);
                    for (var i = 0; i < take; i++)
                    {
                        var isLast = position + i == prompt.Count - 1;
                        var row = batch.Add(prompt[position + i], position + i, (LLamaSeqId)s, isLast);
                        if (isLast)
                        {
                            lastRows[s] = row;
                        }
                    }

                    Check(context.Decode(batch));
                }

                tokens[s] = samplers[s].Sample(context, lastRows[s]);
            }

            var prefilled = Stopwatch.GetTimestamp();
            for (var step = 1; step < generate; step++)
            {
                batch.Clear();
                for (var s = 0; s < sequences; s++)
                {
                    batch.Add(tokens[s], prompt.Count + step - 1, (LLamaSeqId)s, true);
                }

                Check(context.Decode(batch));
                for (var s = 0; s < sequences; s++)
                {
                    tokens[s] = samplers[s].Sample(context, s);
                }
            }

            var finished = Stopwatch.GetTimestamp();
            return new RawDecodeResult(
                prompt.Count,
                generate,
                sequences,
                Stopwatch.GetElapsedTime(started, prefilled),
                Stopwatch.GetElapsedTime(prefilled, finished));
        }
        finally
        {
            context.MemorySequenceRemove((LLamaSeqId)(-1), -1, -1);
            foreach (var sampler in samplers)
            {
                sampler.Dispose();
            }
        }
    }

    private static SafeLLamaSamplerChainHandle CreateGreedySampler(int vocabularySize, LLamaLogitBias[] bans)
    {
        var sampler = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
        if (bans.Length > 0)
        {
            sampler.AddLogitBias(vocabularySize, bans);
        }

        sampler.AddGreedySampler();
        return sampler;
    }

    private static void Check(DecodeResult result)
    {
        if (result != DecodeResult.Ok)
        {
            throw new InvalidOperationException($"llama.cpp decode failed: {result}");
        }
    }
}

using System.Diagnostics;
using LLama.Native;

namespace AbstractEndpoint.Llama;

/// <summary>
/// The engine ceiling for benchmarks: llama.cpp's plain prefill-then-greedy-decode loop through the same bindings,
/// model, context and threads as the server, with no scheduler, HTTP or detokenizing around it.
/// </summary>
public static class RawDecodeLoop
{
    /// <summary>Prefills <paramref name="prompt"/> on sequence 0, then decodes <paramref name="generate"/> tokens greedily.</summary>
    /// <param name="runtime">A loaded runtime whose inference loop is not running (the loop owns the context otherwise).</param>
    /// <param name="prompt">Prompt token ids.</param>
    /// <param name="generate">Tokens to generate; end-of-generation tokens are banned so exactly this many come out.</param>
    public static RawDecodeResult Run(LlamaRuntime runtime, IReadOnlyList<int> prompt, int generate)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(prompt);
        var context = runtime.Context;
        context.MemorySequenceRemove((LLamaSeqId)0, -1, -1);
        var batch = new LLamaBatch();
        using var sampler = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
        var vocabulary = runtime.Vocabulary;
        var bans = Enumerable.Range(0, vocabulary.VocabularySize)
            .Where(vocabulary.IsEndOfGeneration)
            .Select(t => new LLamaLogitBias { Token = t, Bias = float.NegativeInfinity })
            .ToArray();
        if (bans.Length > 0)
        {
            sampler.AddLogitBias(vocabulary.VocabularySize, bans);
        }

        sampler.AddGreedySampler();

        var started = Stopwatch.GetTimestamp();
        var position = 0;
        var lastRow = 0;
        var batchSize = runtime.Info.BatchSize;
        while (position < prompt.Count)
        {
            batch.Clear();
            var take = Math.Min(batchSize, prompt.Count - position);
            for (var i = 0; i < take; i++)
            {
                lastRow = batch.Add(prompt[position + i], position + i, (LLamaSeqId)0, position + i == prompt.Count - 1);
            }

            Check(context.Decode(batch));
            position += take;
        }

        var prefilled = Stopwatch.GetTimestamp();
        var token = sampler.Sample(context, lastRow);
        for (var i = 1; i < generate; i++)
        {
            batch.Clear();
            batch.Add(token, position++, (LLamaSeqId)0, true);
            Check(context.Decode(batch));
            token = sampler.Sample(context, 0);
        }

        var finished = Stopwatch.GetTimestamp();
        context.MemorySequenceRemove((LLamaSeqId)0, -1, -1);
        return new RawDecodeResult(
            prompt.Count,
            generate,
            Stopwatch.GetElapsedTime(started, prefilled),
            Stopwatch.GetElapsedTime(prefilled, finished));
    }

    private static void Check(DecodeResult result)
    {
        if (result != DecodeResult.Ok)
        {
            throw new InvalidOperationException($"llama.cpp decode failed: {result}");
        }
    }
}

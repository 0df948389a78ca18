using System.Diagnostics;
using AbstractEndpoint.Engine.Runtime;

namespace AbstractEndpoint.Llama;

/// <summary>
/// What one decode step costs by what it carries, for benchmarks: with <c>streams</c> sequences of
/// <c>cellsPerStream</c> cells resident (running streams), it times steps of some decode rows (one new token on each
/// of the first streams) plus some prompt tokens (of one more sequence), and frees what each step added, so every
/// step meets the same cache. The step planner's cost model is fitted on such steps.
/// </summary>
public static class StepCostProbe
{
    /// <summary>One shape of step and the median of its timings.</summary>
    public sealed record StepCost(int DecodeRows, int PromptTokens, double Milliseconds);

    /// <param name="runtime">A loaded runtime whose inference loop is not running, with at least <paramref name="streams"/> + 1 sequences.</param>
    /// <param name="streams">Sequences filled first, as running streams.</param>
    /// <param name="cellsPerStream">Cells each of them holds.</param>
    /// <param name="shapes">Steps to time: decode rows (at most <paramref name="streams"/>) and prompt tokens.</param>
    /// <param name="repeats">Timings per shape, taken round by round over the shapes; the median is reported.</param>
    public static IReadOnlyList<StepCost> Measure(
        LlamaRuntime runtime, int streams, int cellsPerStream, IReadOnlyList<(int DecodeRows, int PromptTokens)> shapes, int repeats = 5)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(shapes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(streams + 1, runtime.Info.SequenceCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        var batch = new TokenBatch(runtime.Info.BatchSize);
        var random = new Random(1);
        // Any ordinary token will do: a step's cost depends on its rows, not on which tokens they are.
        int Token() => random.Next(1, runtime.Vocabulary.VocabularySize);
        var prompt = streams;
        for (var s = 0; s <= streams; s++)
        {
            runtime.RemoveTokens(s, 0, -1);
        }

        for (var s = 0; s < streams; s++)
        {
            for (var position = 0; position < cellsPerStream;)
            {
                batch.Clear();
                while (batch.Remaining > 0 && position < cellsPerStream)
                {
                    batch.Add(Token(), position, s, position == cellsPerStream - 1);
                    position++;
                }

                Check(runtime.Decode(batch));
            }
        }

        foreach (var (decodeRows, promptTokens) in shapes)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(decodeRows, streams, nameof(shapes));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(decodeRows + promptTokens, batch.Capacity, nameof(shapes));
        }

        // Round by round over the shapes, so that a machine getting slower or faster meanwhile weighs on every shape
        // alike instead of on the ones timed last.
        var timings = shapes.Select(_ => new double[repeats]).ToArray();
        for (var repeat = 0; repeat < repeats; repeat++)
        {
            for (var shape = 0; shape < shapes.Count; shape++)
            {
                var (decodeRows, promptTokens) = shapes[shape];
                batch.Clear();
                for (var s = 0; s < decodeRows; s++)
                {
                    batch.Add(Token(), cellsPerStream, s, true);
                }

                for (var i = 0; i < promptTokens; i++)
                {
                    batch.Add(Token(), i, prompt, i == promptTokens - 1);
                }

                var started = Stopwatch.GetTimestamp();
                Check(runtime.Decode(batch));
                timings[shape][repeat] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                for (var s = 0; s < decodeRows; s++)
                {
                    runtime.RemoveTokens(s, cellsPerStream, -1);
                }

                runtime.RemoveTokens(prompt, 0, -1);
            }
        }

        var results = new List<StepCost>();
        for (var shape = 0; shape < shapes.Count; shape++)
        {
            Array.Sort(timings[shape]);
            results.Add(new StepCost(shapes[shape].DecodeRows, shapes[shape].PromptTokens, timings[shape][repeats / 2]));
        }

        return results;
    }

    private static void Check(DecodeStatus status)
    {
        if (status != DecodeStatus.Ok)
        {
            throw new InvalidOperationException($"llama.cpp failed to decode a probe step ({status}).");
        }
    }
}

using System.CommandLine;
using System.Globalization;
using AbstractEndpoint.Bench.Load;
using AbstractEndpoint.Llama;
using Microsoft.Extensions.Logging.Abstractions;

namespace AbstractEndpoint.Bench.Commands;

/// <summary>
/// <c>engine</c>: the ceiling. Runs llama.cpp's raw prefill + greedy decode loop through the same bindings, model,
/// context size and threads the server uses, with nothing around it, and prints prompt and decode tokens/s.
/// </summary>
internal static class EngineCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "GGUF model file", Required = true };
        var threads = new Option<int>("--threads") { Description = "CPU threads", DefaultValueFactory = _ => Environment.ProcessorCount };
        var ctx = new Option<int>("--ctx-size") { Description = "Context size", DefaultValueFactory = _ => 4096 };
        var batch = new Option<int>("--batch-size") { Description = "Batch size", DefaultValueFactory = _ => 512 };
        var promptTokens = new Option<int>("--prompt-tokens") { Description = "Approximate prompt length in tokens", DefaultValueFactory = _ => 100 };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Tokens to generate", DefaultValueFactory = _ => 128 };
        var runs = new Option<int>("--runs") { Description = "Measured runs (the median is reported)", DefaultValueFactory = _ => 3 };

        var command = new Command("engine", "Measure the raw llama.cpp decode loop (the ceiling for the server)")
        {
            model, threads, ctx, batch, promptTokens, maxTokens, runs,
        };
        command.SetAction(CommandAction.Guarded(parse =>
        {
            using var runtime = LlamaRuntime.Load(
                new LlamaRuntimeOptions
                {
                    ModelPath = parse.GetValue(model)!.FullName,
                    Threads = parse.GetValue(threads),
                    ContextSize = parse.GetValue(ctx),
                    BatchSize = parse.GetValue(batch),
                    Parallel = 1,
                },
                NullLogger.Instance);
            var text = new PromptFactory(parse.GetValue(promptTokens), 0, 1).Create("engine", 0, 0, 0);
            var prompt = runtime.Vocabulary.Tokenize(text, runtime.Vocabulary.AddsBos, parseSpecial: false);

            RawDecodeLoop.Run(runtime, prompt, 8); // warm-up: page in the weights, build the graphs
            var results = Enumerable.Range(0, parse.GetValue(runs))
                .Select(_ => RawDecodeLoop.Run(runtime, prompt, parse.GetValue(maxTokens)))
                .ToList();
            var prefill = Median(results.Select(r => r.PrefillTokensPerSecond));
            var decode = Median(results.Select(r => r.DecodeTokensPerSecond));

            Console.WriteLine($"| engine (raw llama.cpp loop) | threads | prompt tokens | prompt tok/s | decode tok/s |");
            Console.WriteLine($"| --- | ---: | ---: | ---: | ---: |");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {parse.GetValue(model)!.Name} | {parse.GetValue(threads)} | {prompt.Length} | {prefill:F1} | {decode:F1} |"));
            return 0;
        }));
        return command;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[sorted.Length / 2];
    }
}

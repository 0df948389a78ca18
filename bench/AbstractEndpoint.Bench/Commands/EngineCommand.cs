using System.CommandLine;
using System.Globalization;
using AbstractEndpoint.Bench.Load;
using AbstractEndpoint.Llama;

namespace AbstractEndpoint.Bench.Commands;

/// <summary>
/// <c>engine</c>: the ceiling. Runs llama.cpp's raw prefill + greedy decode loop through the same bindings, model,
/// context size and threads the server uses, with nothing around it, at each concurrency (that many sequences
/// decoded in one batch per step), and prints prompt and decode tokens/s. With <c>--url</c> it also drives a server
/// running the same model at each level (greedy, the same prompt length) and prints the server's figures as a
/// fraction of the raw loop's. Server and raw loop take turns, never overlap: they share the same cores.
/// </summary>
internal static class EngineCommand
{
    public static Command Create()
    {
        var engine = new RawEngineOptions(defaultContextSize: 4096);
        var promptTokens = new Option<int>("--prompt-tokens") { Description = "Approximate prompt length in tokens", DefaultValueFactory = _ => 100 };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Tokens to generate", DefaultValueFactory = _ => 128 };
        var flashAttention = new Option<string>("--flash-attn") { Description = "auto, on or off (as the server's flag)", DefaultValueFactory = _ => "auto" };
        var runs = new Option<int>("--runs") { Description = "Measured runs per level (the median is reported)", DefaultValueFactory = _ => 3 };
        var concurrency = new Option<int[]>("--concurrency")
        {
            Description = "Sequences decoded together, e.g. 1,4,8",
            DefaultValueFactory = _ => [1],
            CustomParser = LoadCommand.ParseIntegers,
            AllowMultipleArgumentsPerToken = true,
        };
        var url = new Option<Uri?>("--url")
        {
            Description = "Also measure the server at this /v1 base URL (it must serve the same model with the same threads)",
            CustomParser = LoadCommand.ParseUrl,
        };
        var eos = new Option<int[]>("--eos-token-id")
        {
            Description = "With --url: token id(s) the server must not end on (logit_bias -100)",
            DefaultValueFactory = _ => [2],
            CustomParser = LoadCommand.ParseIntegers,
            AllowMultipleArgumentsPerToken = true,
        };

        var command = new Command("engine", "Measure the raw llama.cpp decode loop (the ceiling for the server)")
        {
            flashAttention, promptTokens, maxTokens, runs, concurrency, url, eos,
        };
        engine.AddTo(command);
        command.SetAction(CommandAction.Guarded(async (parse, cancellationToken) =>
        {
            var levels = parse.GetValue(concurrency)!;
            if (levels.Length == 0 || levels.Any(c => c < 1))
            {
                throw new ArgumentException("--concurrency levels must be positive");
            }

            if (!LlamaRuntimeOptions.TryParseFlashAttention(parse.GetValue(flashAttention), out var flash))
            {
                throw new ArgumentException($"--flash-attn must be auto, on or off, not '{parse.GetValue(flashAttention)}'");
            }

            var generate = parse.GetValue(maxTokens);
            var serverUrl = parse.GetValue(url);
            // Each level sends N greedy requests at once (the raw loop is greedy), --runs rounds of them.
            var serverLoad = serverUrl is null ? null : new LoadTestOptions
            {
                Targets = [new LoadTarget("A", serverUrl, null)],
                ConcurrencyLevels = [1],
                PromptTokens = parse.GetValue(promptTokens),
                MaxTokens = generate,
                Rounds = parse.GetValue(runs),
                SuppressedTokenIds = parse.GetValue(eos)!,
                Temperature = 0,
            };

            using var runtime = engine.Load(parse, levels.Max(), flash);
            var text = new PromptFactory(parse.GetValue(promptTokens), 0, 1).Create("engine", 0, 0, 0);
            var basePrompt = runtime.Vocabulary.Tokenize(text, runtime.Vocabulary.AddsBos, parseSpecial: false);
            RawDecodeLoop.Run(runtime, basePrompt, 8); // warm-up: page in the weights, build the graphs

            var output = parse.InvocationConfiguration.Output;
            var rows = new List<string>();
            foreach (var level in levels)
            {
                LevelSummary? server = null;
                var prompt = basePrompt;
                if (serverLoad is not null)
                {
                    server = await MeasureServerAsync(serverLoad with { ConcurrencyLevels = [level], RequestsPerLevel = level }, cancellationToken);
                    // The server's prompt carries its chat template: give the raw loop the same length.
                    prompt = Resize(basePrompt, (int)Math.Round(server.MeanPromptTokens ?? basePrompt.Length));
                }

                var results = Enumerable.Range(0, parse.GetValue(runs))
                    .Select(_ => RawDecodeLoop.Run(runtime, prompt, generate, level))
                    .ToList();
                rows.Add(Row(level, prompt.Length, results, server));
            }

            var withServer = serverUrl is not null;
            output.WriteLine($"engine: {engine.Describe(parse)}, flash attention {parse.GetValue(flashAttention)}, {generate} tokens per sequence" +
                (withServer ? $", server {serverUrl} (greedy)" : ""));
            output.WriteLine();
            output.WriteLine(withServer
                ? "| conc | prompt tokens | raw prompt tok/s | raw decode tok/s/stream | raw aggregate tok/s | server TTFT p50 ms | server tok/s/stream | server aggregate tok/s | stream / raw | aggregate / raw |"
                : "| conc | prompt tokens | raw prompt tok/s | raw decode tok/s/stream | raw aggregate decode tok/s | raw aggregate tok/s |");
            output.WriteLine(withServer ? "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |" : "| ---: | ---: | ---: | ---: | ---: | ---: |");
            rows.ForEach(output.WriteLine);
            if (withServer)
            {
                output.WriteLine();
                output.WriteLine("raw aggregate = every generated token over prefill + decode time, as the server's aggregate counts it.");
            }

            return 0;
        }));
        return command;
    }

    private static async Task<LevelSummary> MeasureServerAsync(LoadTestOptions load, CancellationToken cancellationToken)
    {
        var report = await LoadCommand.RunAsync(load, TextWriter.Null, cancellationToken);
        var summary = report.Levels.Single();
        if (summary.Errors > 0)
        {
            throw new InvalidOperationException($"the server failed {summary.Errors} requests: {summary.FirstError}");
        }

        return summary;
    }

    private static int[] Resize(int[] prompt, int length) =>
        [.. Enumerable.Range(0, Math.Max(1, length)).Select(i => i < prompt.Length ? prompt[i] : prompt[1 + ((i - 1) % (prompt.Length - 1))])];

    private static string Row(int level, int promptLength, List<RawDecodeResult> results, LevelSummary? server)
    {
        var prefill = Median(results.Select(r => r.PrefillTokensPerSecond));
        var decode = Median(results.Select(r => r.DecodeTokensPerSecond));
        var aggregateDecode = Median(results.Select(r => r.AggregateDecodeTokensPerSecond));
        var aggregate = Median(results.Select(r => r.AggregateTokensPerSecond));
        if (server is null)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"| {level} | {promptLength} | {prefill:F1} | {decode:F1} | {aggregateDecode:F1} | {aggregate:F1} |");
        }

        var stream = server.StreamTokensPerSecond ?? 0;
        return string.Create(CultureInfo.InvariantCulture,
            $"| {level} | {promptLength} | {prefill:F1} | {decode:F1} | {aggregate:F1} | {server.TtftP50Ms:F0} | {stream:F1} | " +
            $"{server.AggregateTokensPerSecond:F1} | **{stream / decode:F3}** | **{server.AggregateTokensPerSecond / aggregate:F3}** |");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[sorted.Length / 2];
    }
}

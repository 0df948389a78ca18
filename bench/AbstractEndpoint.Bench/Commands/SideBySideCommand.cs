using System.CommandLine;
using System.Globalization;
using AbstractEndpoint.Bench.Load;
using AbstractEndpoint.Llama;
using Microsoft.Extensions.Logging.Abstractions;

namespace AbstractEndpoint.Bench.Commands;

/// <summary>
/// <c>sidebyside</c>: the whole comparison in one command. Starts the servers itself on free ports — llama-server
/// when a path to it is given (the anchor), and AbstractEndpoint once per <c>--variant</c> (extra flags, e.g. the
/// step budget off and on) — all on the same model, threads, slots and context; drives them with closed-loop
/// streaming clients at each concurrency, the targets taking turns round by round; prints TTFT, ITL p50/p99 and
/// aggregate tok/s side by side, then the rotating-prompts scenario. Without llama-server, the raw llama.cpp loop
/// is the anchor: measured after the servers, at the same prompt length and concurrency.
/// </summary>
internal static class SideBySideCommand
{
    private const string DefaultEndpoint = "src/AbstractEndpoint.Host/bin/Release/net10.0/abstractcore-endpoint.dll";

    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "GGUF model file", Required = true };
        var endpoint = new Option<FileInfo>("--endpoint")
        {
            Description = "AbstractEndpoint's built host (abstractcore-endpoint.dll, run with dotnet, or an executable)",
            DefaultValueFactory = _ => new FileInfo(DefaultEndpoint),
        };
        var variants = new Option<string[]>("--variant")
        {
            Description = "LABEL=FLAGS: one AbstractEndpoint server with these extra flags, e.g. 'A=--target-itl-ms off'; FLAGS starting with @PATH run that build instead of --endpoint, e.g. 'before=@/tmp/old/abstractcore-endpoint.dll' (repeatable; default: one server, label 'ours')",
            AllowMultipleArgumentsPerToken = false,
        };
        var llamaServer = new Option<FileInfo?>("--llama-server") { Description = "llama-server executable: the anchor (else the raw engine loop)" };
        var llamaArgs = new Option<string>("--llama-server-args") { Description = "Extra flags for llama-server, e.g. '--kv-unified'", DefaultValueFactory = _ => "" };
        var threads = new Option<int>("--threads") { Description = "CPU threads", DefaultValueFactory = _ => Environment.ProcessorCount };
        var parallel = new Option<int>("--parallel") { Description = "Slots of every server", DefaultValueFactory = _ => 8 };
        var ctx = new Option<int>("--ctx-size") { Description = "Context size of every server", DefaultValueFactory = _ => 8192 };
        var batch = new Option<int>("--batch-size") { Description = "Batch size of every server", DefaultValueFactory = _ => 512 };
        var concurrency = new Option<int[]>("--concurrency")
        {
            Description = "Closed-loop streams, e.g. 1,4,8",
            DefaultValueFactory = _ => [1, 4, 8],
            CustomParser = LoadCommand.ParseIntegers,
            AllowMultipleArgumentsPerToken = true,
        };
        var rounds = new Option<int>("--rounds") { Description = "Rounds per level (each runs every target once, in turn)", DefaultValueFactory = _ => 2 };
        var requestsPerLevel = new Option<int?>("--requests-per-level") { Description = "Requests per level and round (default: 2 x concurrency, at least 4)" };
        var promptTokens = new Option<int>("--prompt-tokens") { Description = "Approximate prompt length in tokens", DefaultValueFactory = _ => 100 };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Tokens to generate per request", DefaultValueFactory = _ => 128 };
        var temperature = new Option<double?>("--temperature") { Description = "Sampling temperature", DefaultValueFactory = _ => 0.7 };
        var eos = new Option<int[]>("--eos-token-id")
        {
            Description = "Token id(s) every server must not end on (logit_bias -100)",
            DefaultValueFactory = _ => [2],
            CustomParser = LoadCommand.ParseIntegers,
            AllowMultipleArgumentsPerToken = true,
        };
        var rotating = new Option<int?>("--rotating-prompts") { Description = "Distinct long prompts in the rotating scenario (default: slots + 4; 0 skips it)" };
        var rotatingTokens = new Option<int>("--rotating-prompt-tokens") { Description = "Approximate length of each rotating prompt", DefaultValueFactory = _ => 500 };
        var rotatingVisits = new Option<int>("--rotating-visits") { Description = "Visits of each rotating prompt (the first, then revisits)", DefaultValueFactory = _ => 2 };
        var firstRequests = new Option<int>("--first-requests") { Description = "Requests of max_tokens 1 sent to each freshly started server before anything else (0 skips)", DefaultValueFactory = _ => 8 };
        var connectionClose = new Option<bool>("--connection-close") { Description = "One connection per request (needed for some llama-server builds)" };
        var logDirectory = new Option<DirectoryInfo>("--log-dir") { Description = "Where the servers' logs go", DefaultValueFactory = _ => new DirectoryInfo("artifacts/sidebyside") };
        var json = new Option<FileInfo?>("--json") { Description = "Write the load report as JSON here" };

        var command = new Command("sidebyside", "Start the servers, load them in turns, print ITL/TTFT/aggregate side by side and the rotating-prompts scenario")
        {
            model, endpoint, variants, llamaServer, llamaArgs, threads, parallel, ctx, batch, concurrency, rounds, requestsPerLevel,
            promptTokens, maxTokens, temperature, eos, rotating, rotatingTokens, rotatingVisits, firstRequests, connectionClose, logDirectory, json,
        };
        command.SetAction(CommandAction.Guarded(async (parse, cancellationToken) =>
        {
            var modelPath = parse.GetValue(model)!.FullName;
            var slots = parse.GetValue(parallel);
            var levels = parse.GetValue(concurrency)!;
            var servers = ParseVariants(parse.GetValue(variants));
            var anchor = parse.GetValue(llamaServer);
            var output = parse.InvocationConfiguration.Output;
            var progress = parse.InvocationConfiguration.Error;
            var logs = parse.GetValue(logDirectory)!.FullName;
            var startTimeout = TimeSpan.FromMinutes(5);
            string[] common = ["--threads", $"{parse.GetValue(threads)}", "--parallel", $"{slots}", "--ctx-size", $"{parse.GetValue(ctx)}",
                "--batch-size", $"{parse.GetValue(batch)}"];

            var started = new List<ServerProcess>();
            try
            {
                if (anchor is not null)
                {
                    var port = ServerProcess.FreePort();
                    started.Add(await ServerProcess.StartAsync(
                        "llama-server", anchor.FullName,
                        [
                            "-m", modelPath, "-t", $"{parse.GetValue(threads)}", "-np", $"{slots}", "-c", $"{parse.GetValue(ctx)}",
                            "-b", $"{parse.GetValue(batch)}", "--host", "127.0.0.1", "--port", $"{port}", .. Split(parse.GetValue(llamaArgs)!),
                        ],
                        port, Path.Combine(logs, "llama-server.log"), startTimeout, cancellationToken));
                }

                foreach (var (label, build, flags) in servers)
                {
                    var port = ServerProcess.FreePort();
                    started.Add(await ServerProcess.StartAsync(
                        label, build ?? parse.GetValue(endpoint)!.FullName,
                        ["--model", modelPath, "--alias", "bench", .. common, "--host", "127.0.0.1", "--port", $"{port}", "--log-level", "warning", "--no-webui", .. flags],
                        port, Path.Combine(logs, $"{label}.log"), startTimeout, cancellationToken));
                }

                var load = new LoadTestOptions
                {
                    Targets = [.. started.Select(s => new LoadTarget(s.Label, s.BaseUrl, null))],
                    ConcurrencyLevels = levels,
                    PromptTokens = parse.GetValue(promptTokens),
                    MaxTokens = parse.GetValue(maxTokens),
                    RequestsPerLevel = parse.GetValue(requestsPerLevel),
                    Rounds = parse.GetValue(rounds),
                    SuppressedTokenIds = parse.GetValue(eos)!,
                    Temperature = parse.GetValue(temperature),
                    ConnectionClose = parse.GetValue(connectionClose),
                };
                output.WriteLine($"sidebyside: {parse.GetValue(model)!.Name}, {string.Join(' ', common)}; {DateTimeOffset.UtcNow:u}");
                output.WriteLine();
                if (parse.GetValue(firstRequests) is var first and > 0)
                {
                    // Before the load's own warm-up requests: this is what the first clients of a new server meet.
                    using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
                    var client = new ChatCompletionClient(http, load);
                    var targets = new List<(LoadTarget, string)>();
                    foreach (var target in load.Targets)
                    {
                        targets.Add((target, await client.ResolveModelAsync(target, cancellationToken)));
                    }

                    output.WriteLine(FirstRequestsRunner.Render(await FirstRequestsRunner.RunAsync(client, http, targets, first, cancellationToken)));
                }

                var report = await LoadCommand.RunAsync(load, progress, cancellationToken);
                output.WriteLine(MarkdownReport.Render(report));
                if (parse.GetValue(json) is { } jsonFile)
                {
                    jsonFile.Directory?.Create();
                    await File.WriteAllTextAsync(jsonFile.FullName, LoadReportJson.Serialize(report), cancellationToken);
                }

                var distinct = parse.GetValue(rotating) ?? (slots + 4);
                if (distinct > 0)
                {
                    using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
                    var client = new ChatCompletionClient(http, load);
                    var targets = new List<(LoadTarget, string)>();
                    foreach (var target in load.Targets)
                    {
                        targets.Add((target, await client.ResolveModelAsync(target, cancellationToken)));
                    }

                    var summaries = await RotatingPromptsRunner.RunAsync(
                        client, targets, distinct, parse.GetValue(rotatingTokens), parse.GetValue(rotatingVisits), progress, cancellationToken);
                    output.WriteLine(RotatingPromptsRunner.Render(summaries, distinct, parse.GetValue(rotatingTokens)));
                }

                if (anchor is null)
                {
                    // The servers are idle now (nothing else runs on the cores while the raw loop is timed).
                    output.WriteLine(RawAnchor(parse, modelPath, report));
                }

                var failed = report.Levels.Sum(level => level.Errors);
                return failed == 0 ? 0 : 1;
            }
            finally
            {
                foreach (var server in started)
                {
                    await server.DisposeAsync();
                }
            }
        }));
        return command;
    }

    /// <summary>LABEL=FLAGS, where FLAGS may start with @PATH: another build of the server (two builds side by side).</summary>
    private static List<(string Label, string? Build, string[] Flags)> ParseVariants(string[]? variants)
    {
        if (variants is null || variants.Length == 0)
        {
            return [("ours", null, [])];
        }

        var parsed = new List<(string, string?, string[])>();
        foreach (var variant in variants)
        {
            var equals = variant.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"--variant takes LABEL=FLAGS, not '{variant}'");
            }

            var flags = Split(variant[(equals + 1)..]);
            var build = flags.FirstOrDefault() is ['@', .. var path] ? Path.GetFullPath(path) : null;
            parsed.Add((variant[..equals], build, build is null ? flags : flags[1..]));
        }

        return parsed;
    }

    private static string[] Split(string flags) => flags.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// The raw llama.cpp loop at each level, as the servers would see it at best: all N prompts computed in one go
    /// (TTFT = that time), then one token per sequence per step (ITL = that step's time, every step alike).
    /// </summary>
    private static string RawAnchor(ParseResult parse, string modelPath, LoadReport report)
    {
        var levels = report.Levels.Select(l => l.Concurrency).Distinct().ToList();
        using var runtime = LlamaRuntime.Load(
            new LlamaRuntimeOptions
            {
                ModelPath = modelPath,
                Threads = parse.GetRequiredValue<int>("--threads"),
                ContextSize = parse.GetRequiredValue<int>("--ctx-size"),
                BatchSize = parse.GetRequiredValue<int>("--batch-size"),
                Parallel = levels.Max(),
            },
            NullLogger.Instance);
        var generate = parse.GetRequiredValue<int>("--max-tokens");
        var text = new PromptFactory(parse.GetRequiredValue<int>("--prompt-tokens"), 0, 1).Create("raw", 0, 0, 0);
        var basePrompt = runtime.Vocabulary.Tokenize(text, runtime.Vocabulary.AddsBos, parseSpecial: false);
        RawDecodeLoop.Run(runtime, basePrompt, 8); // warm-up: page in the weights

        var lines = new List<string>
        {
            "raw llama.cpp loop (the anchor without llama-server): N prompts computed together, then N tokens per step, greedy",
            "",
            "| conc | prompt tok | TTFT ms (all N prompts) | ITL ms (decode step) | stream tok/s | aggregate tok/s |",
            "|---:|---:|---:|---:|---:|---:|",
        };
        foreach (var level in levels)
        {
            var length = (int)Math.Round(report.Levels.Where(l => l.Concurrency == level).Select(l => l.MeanPromptTokens ?? basePrompt.Length).Average());
            int[] prompt = [.. Enumerable.Range(0, Math.Max(2, length)).Select(i => i < basePrompt.Length ? basePrompt[i] : basePrompt[1 + ((i - 1) % (basePrompt.Length - 1))])];
            var raw = RawDecodeLoop.Run(runtime, prompt, generate, level);
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {level} | {prompt.Length} | {raw.PrefillTime.TotalMilliseconds:F0} | {1000 / raw.DecodeTokensPerSecond:F1} | " +
                $"{raw.DecodeTokensPerSecond:F1} | {raw.AggregateTokensPerSecond:F1} |"));
        }

        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }
}

using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using AbstractEndpoint.Bench.Load;

namespace AbstractEndpoint.Bench.Commands;

/// <summary>
/// <c>load</c>: drives an OpenAI-compatible <c>/v1/chat/completions</c> at several concurrency levels and reports
/// time to first token, inter-token latency and tokens/s, optionally comparing two endpoints (A/B).
/// </summary>
internal static class LoadCommand
{
    public static Command Create()
    {
        var url = new Option<Uri>("--url")
        {
            Description = "Base URL A, e.g. http://127.0.0.1:8001/v1",
            Required = true,
            CustomParser = ParseUrl,
        };
        var urlB = new Option<Uri?>("--url-b")
        {
            Description = "Base URL B: alternate A B A B per level and report B/A",
            CustomParser = ParseUrl,
        };
        var concurrency = new Option<int[]>("--concurrency")
        {
            Description = "Concurrency levels, e.g. 1,4,8",
            DefaultValueFactory = _ => [1],
            CustomParser = ParseIntegers,
            AllowMultipleArgumentsPerToken = true,
        };
        var promptTokens = new Option<int>("--prompt-tokens") { Description = "Approximate prompt length in tokens", DefaultValueFactory = _ => 100 };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Tokens to generate per request", DefaultValueFactory = _ => 128 };
        var sharedPrefix = new Option<double>("--shared-prefix") { Description = "Fraction of the prompt shared by all requests (0-1)", DefaultValueFactory = _ => 0.0 };
        var requestsPerLevel = new Option<int?>("--requests-per-level") { Description = "Requests per level and round (default: 2 x concurrency, at least 4)" };
        var rounds = new Option<int?>("--rounds") { Description = "Rounds per level (default 1; 2 with --url-b, i.e. A B A B)" };
        var warmup = new Option<int>("--warmup") { Description = "Unmeasured warm-up requests per target", DefaultValueFactory = _ => 1 };
        var stream = new Option<bool>("--stream") { Description = "Stream with server-sent events", DefaultValueFactory = _ => true };
        var model = new Option<string?>("--model") { Description = "Model name (default: first id from GET /models)" };
        var modelB = new Option<string?>("--model-b") { Description = "Model name for B (default: --model)" };
        var apiKey = new Option<string?>("--api-key") { Description = "Bearer token for both targets" };
        var eos = new Option<int[]>("--eos-token-id")
        {
            Description = "Token id(s) to suppress with logit_bias -100 so every request generates max_tokens, e.g. 2 or 2,260",
            DefaultValueFactory = _ => [2],
            CustomParser = ParseIntegers,
            AllowMultipleArgumentsPerToken = true,
        };
        var temperature = new Option<double?>("--temperature") { Description = "Sampling temperature (default: the server's)" };
        var timeout = new Option<int>("--timeout") { Description = "Per-request timeout in seconds", DefaultValueFactory = _ => 600 };
        var seed = new Option<int>("--seed") { Description = "Prompt seed", DefaultValueFactory = _ => 1 };
        var json = new Option<FileInfo?>("--json") { Description = "Write the full report as JSON here" };
        var allowErrors = new Option<bool>("--allow-errors") { Description = "Exit 0 even when requests failed" };
        var connectionClose = new Option<bool>("--connection-close")
        {
            Description = "One connection per request (Connection: close), for servers that drop kept-alive connections after a stream",
        };

        var command = new Command("load", "Load-test an OpenAI-compatible chat completions endpoint")
        {
            url, urlB, concurrency, promptTokens, maxTokens, sharedPrefix, requestsPerLevel, rounds, warmup, stream,
            model, modelB, apiKey, eos, temperature, timeout, seed, json, allowErrors,
            connectionClose,
        };
        command.SetAction(CommandAction.Guarded(async (parse, cancellationToken) =>
        {
            var key = parse.GetValue(apiKey);
            var targets = new List<LoadTarget> { new("A", parse.GetValue(url)!, parse.GetValue(model), key) };
            if (parse.GetValue(urlB) is { } b)
            {
                targets.Add(new LoadTarget("B", b, parse.GetValue(modelB) ?? parse.GetValue(model), key));
            }

            var options = new LoadTestOptions
            {
                Targets = targets,
                ConcurrencyLevels = parse.GetValue(concurrency)!,
                PromptTokens = parse.GetValue(promptTokens),
                MaxTokens = parse.GetValue(maxTokens),
                SharedPrefix = parse.GetValue(sharedPrefix),
                RequestsPerLevel = parse.GetValue(requestsPerLevel),
                Rounds = parse.GetValue(rounds) ?? (targets.Count > 1 ? 2 : 1),
                WarmupRequests = parse.GetValue(warmup),
                Stream = parse.GetValue(stream),
                ConnectionClose = parse.GetValue(connectionClose),
                SuppressedTokenIds = parse.GetValue(eos)!,
                Temperature = parse.GetValue(temperature),
                RequestTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                Seed = parse.GetValue(seed),
            };

            var report = await RunAsync(options, Console.Error, cancellationToken);
            Console.WriteLine(MarkdownReport.Render(report));
            if (parse.GetValue(json) is { } jsonFile)
            {
                jsonFile.Directory?.Create();
                await File.WriteAllTextAsync(jsonFile.FullName, LoadReportJson.Serialize(report), cancellationToken);
            }

            var failed = report.Levels.Sum(level => level.Errors);
            return failed == 0 || parse.GetValue(allowErrors) ? 0 : 1;
        }));
        return command;
    }

    /// <summary>Runs a load test with its own HTTP client (also the entry point for tests).</summary>
    public static async Task<LoadReport> RunAsync(LoadTestOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            // Servers close idle keep-alive connections after a few seconds (llama-server's cpp-httplib and uvicorn
            // after 5 s); a pooled connection kept longer, say while the other target's round ran, fails on reuse.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(2),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }; // per request, in the client
        var runner = new LoadTestRunner(new ChatCompletionClient(http, options), options, progress);
        return await runner.RunAsync(cancellationToken);
    }

    internal static Uri? ParseUrl(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        result.AddError($"'{text}' is not an absolute http(s) URL");
        return null;
    }

    internal static int[] ParseIntegers(ArgumentResult result)
    {
        var values = new List<int>();
        foreach (var token in result.Tokens)
        {
            foreach (var part in token.Value.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0)
                {
                    values.Add(value);
                }
                else
                {
                    result.AddError($"'{part}' is not a non-negative integer");
                }
            }
        }

        return [.. values];
    }
}

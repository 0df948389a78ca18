using System.CommandLine;
using AbstractEndpoint.Bench.Soak;

namespace AbstractEndpoint.Bench.Commands;

/// <summary>
/// <c>soak</c>: many streaming clients against a running server for a bounded time (see <see cref="SoakRunner"/>);
/// exits 1 when a stream was lost or garbled, a request was refused, or a slot was still busy at the end.
/// </summary>
internal static class SoakCommand
{
    public static Command Create()
    {
        var url = new Option<Uri>("--url")
        {
            Description = "The server's root URL, e.g. http://127.0.0.1:8001/",
            Required = true,
            CustomParser = LoadCommand.ParseUrl,
        };
        var clients = new Option<int>("--clients") { Description = "Concurrent streaming clients", DefaultValueFactory = _ => 64 };
        var duration = new Option<TimeSpan>("--duration")
        {
            Description = "How long to run: 90s, 10m, 1h",
            DefaultValueFactory = _ => TimeSpan.FromMinutes(10),
            CustomParser = result => ParseDuration(result.Tokens.Single().Value),
        };
        var walkAway = new Option<double>("--walk-away") { Description = "Share of streams left after a few chunks", DefaultValueFactory = _ => 0.15 };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Most tokens per reply (each asks 8 to this)", DefaultValueFactory = _ => 48 };
        var pid = new Option<int?>("--server-pid") { Description = "The server's process id, to sample its RSS (Linux)" };
        var seed = new Option<int>("--seed") { Description = "Seed of the clients' choices", DefaultValueFactory = _ => 1 };
        var command = new Command("soak", "Stream from many clients for a while; check every stream, the server's memory and its slots")
        {
            url, clients, duration, walkAway, maxTokens, pid, seed,
        };
        command.SetAction(CommandAction.Guarded(async (parse, cancellationToken) =>
        {
            var root = parse.GetValue(url)!;
            using var http = new HttpClient
            {
                BaseAddress = root.AbsoluteUri.EndsWith('/') ? root : new Uri(root.AbsoluteUri + "/"),
                Timeout = Timeout.InfiniteTimeSpan,
            };
            var options = new SoakOptions
            {
                Clients = parse.GetValue(clients),
                Duration = parse.GetValue(duration),
                WalkAwayShare = parse.GetValue(walkAway),
                MaxTokens = parse.GetValue(maxTokens),
                ServerPid = parse.GetValue(pid),
                Seed = parse.GetValue(seed),
            };
            var report = await SoakRunner.RunAsync(http, options, new Progress<string>(Console.Error.WriteLine), cancellationToken);
            Console.WriteLine(report);
            return report.Clean ? 0 : 1;
        }));
        return command;
    }

    private static TimeSpan ParseDuration(string text)
    {
        var unit = text[^1];
        var number = double.Parse(char.IsDigit(unit) ? text : text[..^1], System.Globalization.CultureInfo.InvariantCulture);
        return unit switch
        {
            'h' => TimeSpan.FromHours(number),
            'm' => TimeSpan.FromMinutes(number),
            _ => TimeSpan.FromSeconds(number),
        };
    }
}

using System.CommandLine;
using AbstractEndpoint.Bench.Fuzz;

namespace AbstractEndpoint.Bench.Commands;

/// <summary>
/// <c>fuzz</c>: sends mutated bodies of every POST route (see <see cref="FuzzBodyGenerator"/>) to a running server and counts
/// 2xx, 4xx, 5xx and dropped connections; exits 1 when any body got a 5xx or lost its connection.
/// </summary>
internal static class FuzzCommand
{
    public static Command Create()
    {
        var url = new Option<Uri>("--url")
        {
            Description = "The server's root URL, e.g. http://127.0.0.1:8001/",
            Required = true,
            CustomParser = LoadCommand.ParseUrl,
        };
        var seeds = new Option<int>("--seeds") { Description = "How many seeds, one body stream each", DefaultValueFactory = _ => 10 };
        var firstSeed = new Option<int>("--first-seed") { Description = "The first seed (to replay part of a run)", DefaultValueFactory = _ => 1 };
        var bodies = new Option<int>("--bodies-per-seed") { Description = "Bodies per seed", DefaultValueFactory = _ => 1000 };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight", DefaultValueFactory = _ => 4 };
        var timeout = new Option<int>("--timeout") { Description = "Per-request timeout in seconds", DefaultValueFactory = _ => 60 };
        var command = new Command("fuzz", "Send mutated request bodies and count 5xx replies and dropped connections")
        {
            url, seeds, firstSeed, bodies, concurrency, timeout,
        };
        command.SetAction(CommandAction.Guarded(async (parse, cancellationToken) =>
        {
            var root = parse.GetValue(url)!;
            using var http = new HttpClient
            {
                BaseAddress = root.AbsoluteUri.EndsWith('/') ? root : new Uri(root.AbsoluteUri + "/"),
                Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
            };
            var total = parse.GetValue(seeds) * parse.GetValue(bodies);
            var progress = new Progress<int>(done =>
            {
                if (done % 1000 == 0)
                {
                    Console.Error.WriteLine($"{done}/{total}");
                }
            });
            var report = await FuzzRunner.RunAsync(
                http, Enumerable.Range(parse.GetValue(firstSeed), parse.GetValue(seeds)), parse.GetValue(bodies), parse.GetValue(concurrency), progress, cancellationToken);
            Console.WriteLine(report);
            foreach (var failure in report.Failures)
            {
                Console.WriteLine($"  {failure.Path} [{failure.Mutation}] {failure.Outcome}\n    body (base64): {failure.BodyBase64}");
            }

            return report.Clean ? 0 : 1;
        }));
        return command;
    }
}

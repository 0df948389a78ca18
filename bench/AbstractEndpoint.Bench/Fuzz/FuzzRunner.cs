using System.Collections.Concurrent;
using System.Net.Http.Headers;

namespace AbstractEndpoint.Bench.Fuzz;

/// <summary>
/// Sends generated bodies to a running server, a few at a time, and counts the outcomes. A reply counts only once
/// it has been read to the end (a stream that dies half-way is a dropped connection, not a 200).
/// </summary>
public static class FuzzRunner
{
    private const int KeptFailures = 20;

    /// <summary>
    /// Sends <c>bodiesPerSeed</c> bodies from each seed's generator through <c>http</c> (based at the server's
    /// root, not <c>/v1</c>), <c>concurrency</c> at a time.
    /// </summary>
    public static async Task<FuzzReport> RunAsync(
        HttpClient http, IEnumerable<int> seeds, int bodiesPerSeed, int concurrency, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var bodies = seeds.SelectMany(seed =>
        {
            var generator = new FuzzBodyGenerator(seed);
            return Enumerable.Range(0, bodiesPerSeed).Select(_ => generator.Next());
        });

        int sent = 0, success = 0, client = 0, server = 0, dropped = 0, timedOut = 0, other = 0;
        var failures = new ConcurrentQueue<FuzzFailure>();
        var kinds = new ConcurrentDictionary<string, int>();
        var routes = new ConcurrentDictionary<string, int[]>(); // by route: sent, then one count per OutcomeKind
        await Parallel.ForEachAsync(bodies, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (body, token) =>
            {
                var outcome = await SendAsync(http, body, token).ConfigureAwait(false);
                var counts = routes.GetOrAdd(body.Path, _ => new int[1 + Enum.GetValues<OutcomeKind>().Length]);
                Interlocked.Increment(ref counts[0]);
                Interlocked.Increment(ref counts[1 + (int)outcome.Kind]);
                switch (outcome.Kind)
                {
                    case OutcomeKind.Success: Interlocked.Increment(ref success); break;
                    case OutcomeKind.ClientError: Interlocked.Increment(ref client); break;
                    case OutcomeKind.ServerError: Interlocked.Increment(ref server); break;
                    case OutcomeKind.Dropped: Interlocked.Increment(ref dropped); break;
                    case OutcomeKind.TimedOut: Interlocked.Increment(ref timedOut); break;
                    default: Interlocked.Increment(ref other); break;
                }

                if (outcome.Kind is not (OutcomeKind.Success or OutcomeKind.ClientError))
                {
                    kinds.AddOrUpdate(outcome.Key, 1, (_, n) => n + 1);
                }

                if (outcome.Kind is not (OutcomeKind.Success or OutcomeKind.ClientError) && failures.Count < KeptFailures)
                {
                    failures.Enqueue(new FuzzFailure(body.Path, body.Mutation, Convert.ToBase64String(body.Bytes), outcome.Detail));
                }

                var done = Interlocked.Increment(ref sent); // not inside ?. : it must count without a progress sink
                progress?.Report(done);
            }).ConfigureAwait(false);

        var byRoute = FuzzBodyGenerator.Routes.Where(routes.ContainsKey).Select(route =>
        {
            var c = routes[route];
            return (route, new FuzzRouteCounts(c[0], c[1 + (int)OutcomeKind.Success], c[1 + (int)OutcomeKind.ClientError], c[1 + (int)OutcomeKind.ServerError],
                c[1 + (int)OutcomeKind.Dropped], c[1 + (int)OutcomeKind.TimedOut], c[1 + (int)OutcomeKind.Other]));
        }).ToList();
        return new FuzzReport(sent, success, client, server, dropped, other, [.. failures]) { TimedOut = timedOut, FailureKinds = kinds, ByRoute = byRoute };
    }

    private static async Task<(OutcomeKind Kind, string Detail, string Key)> SendAsync(HttpClient http, FuzzBody body, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new ByteArrayContent(body.Bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync(new Uri(body.Path.TrimStart('/'), UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var detail = $"{status}: {(text.Length > 300 ? text[..300] : text)}";
            var key = $"{status} {ErrorCode(text)}".TrimEnd();
            return status switch
            {
                >= 200 and < 300 => (OutcomeKind.Success, detail, key),
                >= 400 and < 500 => (OutcomeKind.ClientError, detail, key),
                >= 500 => (OutcomeKind.ServerError, detail, key),
                _ => (OutcomeKind.Other, detail, key),
            };
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // The client gave up: not a server fault by itself (a body whose limits were both mutated away may
            // legitimately generate until the context is full), but a hang would look the same, so it is counted.
            return (OutcomeKind.TimedOut, e.Message, "timed out");
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return (OutcomeKind.Dropped, e.GetType().Name + ": " + e.Message, "dropped");
        }
    }

    /// <summary>The error body's <c>code</c>, when the reply is an OpenAI error envelope.</summary>
    private static string? ErrorCode(string text)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(text);
            // Replies of other shapes (a token list, an Anthropic envelope whose error is an object without code) have none.
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == System.Text.Json.JsonValueKind.Object
                && error.TryGetProperty("code", out var code)
                && code.ValueKind == System.Text.Json.JsonValueKind.String ? code.GetString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private enum OutcomeKind
    {
        Success,
        ClientError,
        ServerError,
        Dropped,
        TimedOut,
        Other,
    }
}

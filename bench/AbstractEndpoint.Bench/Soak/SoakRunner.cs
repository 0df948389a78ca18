using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace AbstractEndpoint.Bench.Soak;

/// <summary>
/// Runs the soak: <see cref="SoakOptions.Clients"/> clients each stream chat replies back to back until the duration
/// is over (with more clients than slots, the rest wait in the server's queue), a share of them walking away after a
/// few chunks; every other stream is read to its end and judged by <see cref="SseStreamChecker"/>. The server's RSS
/// is sampled meanwhile, and at the end every slot must be idle again.
/// </summary>
public static class SoakRunner
{
    private const int KeptProblems = 20;

    private static readonly string[] Openings =
    [
        "Once upon a time", "The little dog", "One day a girl named Lily", "Tom had a big red ball", "In the park there was",
        "The sun was hot and", "Sam wanted to play", "A bird sat on the tree",
    ];

    public static async Task<SoakReport> RunAsync(HttpClient http, SoakOptions options, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        int started = 0, complete = 0, walkedAway = 0, lost = 0, garbled = 0, refused = 0;
        long chunks = 0;
        var problems = new ConcurrentQueue<string>();
        var memory = new List<(double, double)>();
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(options.Duration);

        var sampler = Task.Run(async () =>
        {
            while (options.ServerPid is { } pid)
            {
                if (ProcessMemory.ResidentMebibytes(pid) is { } mib)
                {
                    lock (memory)
                    {
                        memory.Add((clock.Elapsed.TotalSeconds, mib));
                    }

                    progress?.Report(string.Create(CultureInfo.InvariantCulture,
                        $"{clock.Elapsed.TotalSeconds:F0} s: {Volatile.Read(ref started)} streams, RSS {mib:F0} MiB, {Volatile.Read(ref lost)} lost, {Volatile.Read(ref garbled)} garbled"));
                }

                try
                {
                    await Task.Delay(options.SampleEvery, stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }, CancellationToken.None);

        void Note(string problem)
        {
            if (problems.Count < KeptProblems)
            {
                problems.Enqueue(problem);
            }
        }

        var clients = Enumerable.Range(0, options.Clients).Select(client => Task.Run(async () =>
        {
            var random = new Random(options.Seed * 1000 + client);
            while (!stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref started);
                var walkAfter = random.NextDouble() < options.WalkAwayShare ? random.Next(1, 6) : (int?)null;
                var body = Body(random, options);
                var (verdict, detail, contentChunks) = await StreamOnceAsync(http, body, walkAfter, options.StreamTimeout, cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref chunks, contentChunks);
                switch (verdict)
                {
                    case null when detail is null: Interlocked.Increment(ref walkedAway); break;
                    case null: Interlocked.Increment(ref refused); Note(detail); break;
                    case StreamVerdict.Complete: Interlocked.Increment(ref complete); break;
                    case StreamVerdict.Lost: Interlocked.Increment(ref lost); Note("lost: " + detail); break;
                    default: Interlocked.Increment(ref garbled); Note("garbled: " + detail); break;
                }
            }
        }, CancellationToken.None)).ToList();
        await Task.WhenAll(clients).ConfigureAwait(false);
        var elapsed = clock.Elapsed;
        await stop.CancelAsync().ConfigureAwait(false);
        await sampler.ConfigureAwait(false);

        var slotsFree = await SlotsFreeAsync(http, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        if (options.ServerPid is { } serverPid && ProcessMemory.ResidentMebibytes(serverPid) is { } last)
        {
            memory.Add((clock.Elapsed.TotalSeconds, last));
        }

        return new SoakReport(started, complete, walkedAway, lost, garbled, refused, memory, slotsFree, [.. problems])
        {
            Elapsed = elapsed,
            ContentChunks = chunks,
        };
    }

    /// <summary>
    /// One stream. The verdict is null for a stream not judged: walked away (detail null) or refused (detail says how).
    /// </summary>
    private static async Task<(StreamVerdict? Verdict, string? Detail, int ContentChunks)> StreamOnceAsync(
        HttpClient http, byte[] body, int? walkAfter, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var checker = new SseStreamChecker();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("v1/chat/completions", UriKind.Relative))
            {
                Content = new ByteArrayContent(body),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var text = await response.Content.ReadAsStringAsync(limit.Token).ConfigureAwait(false);
                return (null, $"HTTP {(int)response.StatusCode}: {(text.Length > 200 ? text[..200] : text)}", 0);
            }

            await using var stream = await response.Content.ReadAsStreamAsync(limit.Token).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (await reader.ReadLineAsync(limit.Token).ConfigureAwait(false) is { } line)
            {
                checker.Line(line);
                if (walkAfter is { } after && checker.ContentChunks >= after)
                {
                    return (null, null, checker.ContentChunks); // leaving: disposing the response closes the connection
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (StreamVerdict.Lost, $"no end after {timeout.TotalSeconds:F0} s ({checker.Explanation})", checker.ContentChunks);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return (StreamVerdict.Lost, $"{e.GetType().Name}: {e.Message}", checker.ContentChunks);
        }

        // A client meant to walk away whose reply was shorter than its patience simply read it all.
        return (checker.Verdict, checker.Explanation, checker.ContentChunks);
    }

    private static byte[] Body(Random random, SoakOptions options)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", "");
            json.WriteStartArray("messages");
            json.WriteStartObject();
            json.WriteString("role", "user");
            json.WriteString("content", Openings[random.Next(Openings.Length)] + " " + random.Next(1000).ToString(CultureInfo.InvariantCulture));
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteNumber("max_tokens", random.Next(options.MinTokens, options.MaxTokens + 1));
            json.WriteNumber("temperature", 0.8);
            json.WriteNumber("seed", random.Next());
            json.WriteBoolean("stream", true);
            json.WriteStartObject("stream_options");
            json.WriteBoolean("include_usage", true);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Polls <c>/slots</c> until every slot is idle (a walked-away stream frees its slot at the next step).</summary>
    private static async Task<bool> SlotsFreeAsync(HttpClient http, TimeSpan patience, CancellationToken cancellationToken)
    {
        var until = Stopwatch.StartNew();
        while (until.Elapsed < patience)
        {
            try
            {
                using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri("slots", UriKind.Relative), cancellationToken).ConfigureAwait(false));
                if (document.RootElement.EnumerateArray().All(slot => slot.GetProperty("state").GetString() == "idle"))
                {
                    return true;
                }
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or InvalidOperationException or KeyNotFoundException)
            {
                // Not answering yet, or not this shape: try again until the patience runs out.
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }
}

using System.Net;
using AbstractEndpoint.Bench.Fuzz;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary>
/// A bounded run of the bench's request fuzzer over every POST route (byte flips, truncation, invalid UTF-8, lone surrogates, deep
/// nesting, huge numbers, wrong types everywhere, duplicated and unknown keys) against the real server: every body
/// gets a 2xx or a 4xx — no 5xx, no dropped connection — and the server still answers afterwards. On a server of
/// its own: thousands of requests reshape the slots' cached prefixes, which other tests' seeded replies depend on.
/// </summary>
public sealed class RequestFuzzTests(SyntheticServerFixture fixture) : IClassFixture<SyntheticServerFixture>
{
    private static readonly int[] Seeds = [101, 102, 103, 104, 105, 106];

    [SkippableFact]
    public async Task Mutated_bodies_never_get_a_5xx_or_a_dropped_connection()
    {
        var server = fixture.Require();
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

        var report = await FuzzRunner.RunAsync(http, Seeds, bodiesPerSeed: 400, concurrency: 4, progress: null, CancellationToken.None);

        Assert.Equal(Seeds.Length * 400, report.Sent);
        Assert.True(report.Clean, report + string.Concat(report.Failures.Select(f => $"\n{f.Path} [{f.Mutation}] {f.Outcome} {f.BodyBase64}")));
        Assert.True(report.ClientErrors > report.Sent / 2, $"the mutations should mostly be refused: {report}");
        Assert.True(report.Success > 0, $"some mutations are still valid requests: {report}");
        Assert.Equal(FuzzBodyGenerator.Routes, report.ByRoute.Select(r => r.Route));
        Assert.All(report.ByRoute, r => Assert.True(r.Counts.Sent >= 50 && r.Counts.ClientErrors > 0, $"{r.Route}: {r.Counts}"));
        using var health = await http.GetAsync(new Uri("health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        await ChatCompatibilityTests.AssertStillServingAsync(server);
    }
}

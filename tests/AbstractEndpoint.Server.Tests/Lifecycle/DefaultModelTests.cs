using System.Diagnostics;
using System.Net;
using AbstractEndpoint.Host.Configuration;
using AbstractEndpoint.Server.Tests.Infrastructure;
using AbstractEndpoint.TestSupport.LocalHub;

namespace AbstractEndpoint.Server.Tests.Lifecycle;

/// <summary>
/// With no <c>--model</c> the server serves the original's default, Qwen/Qwen3-4B-GGUF:Q4_K_M, through the Hub
/// project: downloaded into the Hugging Face cache with progress, here from a local hub (HF_ENDPOINT) whose
/// "Q4_K_M" file is the tiny synthetic model; with the hub unreachable it fails at once, saying why.
/// </summary>
public sealed class DefaultModelTests : IAsyncLifetime
{
    private const string RepoId = "Qwen/Qwen3-4B-GGUF";
    private static readonly string Commit = TestData.Commit("qwen3-4b");

    private readonly DirectoryInfo _cache = Directory.CreateTempSubdirectory("hf-cache-");
    private readonly FakeHub _hub = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        _cache.Delete(recursive: true);
    }

    [Fact]
    public void The_default_is_the_originals_model_in_GGUF_form()
    {
        Assert.Equal(RepoId + ":Q4_K_M", EndpointSettings.Model.Default);
    }

    [Fact]
    public async Task No_model_flag_downloads_the_default_from_the_hub_and_serves_it()
    {
        var model = await File.ReadAllBytesAsync(TestModels.Synthetic);
        _hub.AddRepository(RepoId, Commit, new Dictionary<string, byte[]>
        {
            ["Qwen3-4B-Q4_K_M.gguf"] = model,
            ["Qwen3-4B-Q8_0.gguf"] = TestData.Bytes(1000, 1),
        });
        var port = ServerProcess.FreePort();

        using var process = ServerProcess.Start(["--port", ServerProcess.Text(port), "--threads", "1"], HubEnvironment(_hub.Endpoint));
        var output = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            await ServerProcess.WaitForHealthAsync(http);
            using var models = await http.GetAsync(new Uri("v1/models", UriKind.Relative));

            Assert.Equal(HttpStatusCode.OK, models.StatusCode);
            Assert.Contains($"\"id\":\"{RepoId}:Q4_K_M\"", await models.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var log = string.Concat(await output);
        var snapshotFile = Path.Combine(_cache.FullName, "models--Qwen--Qwen3-4B-GGUF", "snapshots", Commit, "Qwen3-4B-Q4_K_M.gguf");
        Assert.Equal(model, await File.ReadAllBytesAsync(snapshotFile));
        Assert.Contains("Qwen3-4B-Q4_K_M.gguf", log, StringComparison.Ordinal);
        Assert.Contains("the default model", log, StringComparison.Ordinal);
        Assert.DoesNotContain(_hub.CdnRequests, r => r.PathOnly.EndsWith(TestData.Sha256(TestData.Bytes(1000, 1)), StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_model_flag_and_no_hub_fails_fast_saying_why()
    {
        var closedPort = ServerProcess.FreePort();
        var clock = Stopwatch.StartNew();

        var (exitCode, output) = await ServerProcess.RunToExitAsync(["--port", "0"], HubEnvironment(new Uri($"http://127.0.0.1:{closedPort}")));

        Assert.Equal(1, exitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Contains($"Could not reach http://127.0.0.1:{closedPort}/ to download '{RepoId}'", output, StringComparison.Ordinal);
        Assert.Contains("is the default model; pass --model PATH.gguf", output, StringComparison.Ordinal);
    }

    private Dictionary<string, string> HubEnvironment(Uri endpoint) => new()
    {
        ["HF_ENDPOINT"] = endpoint.ToString(),
        ["HF_HUB_CACHE"] = _cache.FullName,
        ["HF_HUB_OFFLINE"] = "",
        ["HF_TOKEN"] = "",
        ["HF_TOKEN_PATH"] = Path.Combine(_cache.FullName, "no-token"),
    };
}

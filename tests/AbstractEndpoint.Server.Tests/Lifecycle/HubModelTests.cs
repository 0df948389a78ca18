using System.Net;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Lifecycle;

/// <summary>
/// <c>--model org/name:QUANT</c> end to end: found in a Hugging Face cache laid out as huggingface_hub writes it,
/// or refused with the similar cached models listed. Downloads are covered by the Hub tests against a fake hub.
/// </summary>
public sealed class HubModelTests : IDisposable
{
    private const string Commit = "0123456789abcdef0123456789abcdef01234567";
    private readonly string _cache = Directory.CreateTempSubdirectory("hf-cache-").FullName;

    public void Dispose() => Directory.Delete(_cache, recursive: true);

    [Fact]
    public async Task A_cached_repo_id_with_a_quant_is_served_offline()
    {
        PopulateCache("karpathy", "stories-GGUF", ["stories-F32.gguf", "stories-Q8_0.gguf"]);
        var port = ServerProcess.FreePort();

        using var process = ServerProcess.Start(
            ["--model", "karpathy/stories-GGUF:Q8_0", "--port", ServerProcess.Text(port), "--threads", "1"],
            new Dictionary<string, string> { ["HF_HUB_CACHE"] = _cache, ["HF_HUB_OFFLINE"] = "1" });
        var output = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            await ServerProcess.WaitForHealthAsync(http);
            using var models = await http.GetAsync(new Uri("v1/models", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, models.StatusCode);
            Assert.Contains("\"id\":\"karpathy/stories-GGUF:Q8_0\"", await models.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        Assert.Contains("stories-Q8_0.gguf", string.Concat(await output), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_repo_offline_exits_1_listing_similar_cached_models()
    {
        PopulateCache("karpathy", "stories-GGUF", ["stories-Q8_0.gguf"]);

        var (exitCode, output) = await ServerProcess.RunToExitAsync(
            ["--model", "karpathy/storys-GGUF", "--port", "0"],
            new Dictionary<string, string> { ["HF_HUB_CACHE"] = _cache, ["HF_HUB_OFFLINE"] = "1" });

        Assert.Equal(1, exitCode);
        Assert.Contains("karpathy/stories-GGUF", output, StringComparison.Ordinal);
    }

    /// <summary>Writes a repo into the cache as huggingface_hub does: blobs, relative snapshot links, refs/main.</summary>
    private void PopulateCache(string org, string name, string[] files)
    {
        var repo = Path.Combine(_cache, $"models--{org}--{name}");
        Directory.CreateDirectory(Path.Combine(repo, "refs"));
        Directory.CreateDirectory(Path.Combine(repo, "blobs"));
        var snapshot = Directory.CreateDirectory(Path.Combine(repo, "snapshots", Commit)).FullName;
        File.WriteAllText(Path.Combine(repo, "refs", "main"), Commit);
        var source = TestModels.Synthetic;

        for (var i = 0; i < files.Length; i++)
        {
            var blob = Path.Combine(repo, "blobs", $"{i:x64}");
            File.Copy(source, blob);
            File.CreateSymbolicLink(Path.Combine(snapshot, files[i]), Path.Combine("..", "..", "blobs", $"{i:x64}"));
        }
    }
}

using AbstractEndpoint.Hub.Tests.Support;
using AbstractEndpoint.TestSupport.LocalHub;

namespace AbstractEndpoint.Hub.Tests;

/// <summary>Downloads from the fake hub into a temp cache, checked against huggingface_hub's layout.</summary>
public sealed class DownloadTests : IAsyncLifetime
{
    private const string RepoId = "org/tiny-GGUF";
    private static readonly string Commit = TestData.Commit("tiny");
    private static readonly byte[] Q4 = TestData.Bytes(300_000, 1);
    private static readonly byte[] Q8 = TestData.Bytes(200_000, 2);

    private readonly TempDirectory _dir = new();
    private readonly FakeHub _hub = new();

    public DownloadTests()
    {
        _hub.AddRepository(RepoId, Commit, new Dictionary<string, byte[]>
        {
            ["README.md"] = "# tiny"u8.ToArray(),
            ["tiny-Q4_K_M.gguf"] = Q4,
            ["tiny-Q8_0.gguf"] = Q8,
        });
    }

    private string HubDirectory => _dir.Combine("hub");

    private string RepoDirectory => Path.Combine(HubDirectory, "models--org--tiny-GGUF");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        _dir.Dispose();
    }

    private Task<ResolvedModel> Resolve(string model, string? token = null, int attempts = 3, IProgress<DownloadProgress>? progress = null) =>
        ModelLocator.ResolveAsync(ModelReference.Parse(model), TestOptions.For(HubDirectory, _hub.Endpoint, token: token, attempts: attempts), progress);

    [Fact]
    public async Task Fresh_download_writes_huggingface_cache_layout_and_second_resolve_makes_no_request()
    {
        var progress = new RecordingProgress();

        var resolved = await Resolve(RepoId, progress: progress);

        var sha = TestData.Sha256(Q4);
        var snapshotFile = Path.Combine(RepoDirectory, "snapshots", Commit, "tiny-Q4_K_M.gguf");
        Assert.True(resolved.Downloaded);
        Assert.Equal(snapshotFile, resolved.Path);
        Assert.Equal([snapshotFile], resolved.Files);
        Assert.Equal(Commit, resolved.Revision);
        Assert.Equal(Path.Combine("..", "..", "blobs", sha), new FileInfo(snapshotFile).LinkTarget);
        Assert.Equal(Q4, await File.ReadAllBytesAsync(Path.Combine(RepoDirectory, "blobs", sha)));
        Assert.Equal(Commit, await File.ReadAllTextAsync(Path.Combine(RepoDirectory, "refs", "main")));
        Assert.Equal([sha], Directory.GetFiles(Path.Combine(RepoDirectory, "blobs")).Select(Path.GetFileName));
        Assert.True(File.Exists(Path.Combine(HubDirectory, ".locks", "models--org--tiny-GGUF", sha + ".lock")));
        Assert.StartsWith("Signature: 8a477f597d28d172789f06886806bc55", await File.ReadAllTextAsync(Path.Combine(HubDirectory, "CACHEDIR.TAG")), StringComparison.Ordinal);

        Assert.Equal(["hub GET /api/models/org/tiny-GGUF/revision/main", "hub GET /org/tiny-GGUF/resolve/" + Commit + "/tiny-Q4_K_M.gguf", "cdn GET /blobs/" + sha],
            _hub.Requests.Select(r => $"{r.Server} {r.Method} {r.PathOnly}"));

        var last = progress.Reports[^1];
        Assert.True(last.IsComplete);
        Assert.Equal(Q4.Length, last.BytesDownloaded);
        Assert.Equal(Q4.Length, last.TotalBytes);

        var requestsBefore = _hub.Requests.Count;
        var again = await Resolve(RepoId);

        Assert.False(again.Downloaded);
        Assert.Equal(resolved.Path, again.Path);
        Assert.Equal(requestsBefore, _hub.Requests.Count);
    }

    [Fact]
    public async Task Split_model_in_a_subfolder_downloads_every_part()
    {
        var parts = Enumerable.Range(1, 3).ToDictionary(i => $"Q4_K_M/big-Q4_K_M-0000{i}-of-00003.gguf", i => TestData.Bytes(50_000, 10 + i));
        _hub.AddRepository("org/big", Commit, parts);
        var progress = new RecordingProgress();

        var resolved = await ModelLocator.ResolveAsync(
            ModelReference.Parse("org/big:Q4_K_M"), TestOptions.For(HubDirectory, _hub.Endpoint), progress);

        Assert.EndsWith(Path.Combine("Q4_K_M", "big-Q4_K_M-00001-of-00003.gguf"), resolved.Path, StringComparison.Ordinal);
        Assert.Equal(3, resolved.Files.Count);
        foreach (var (file, content) in resolved.Files.Zip(parts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value)))
        {
            Assert.Equal(Path.Combine("..", "..", "..", "blobs", TestData.Sha256(content)), new FileInfo(file).LinkTarget);
            Assert.Equal(content, await File.ReadAllBytesAsync(file));
        }

        Assert.Equal([1, 2, 3], progress.Reports.Where(r => r.IsComplete).Select(r => r.FileIndex));
        Assert.All(progress.Reports, r => Assert.Equal(3, r.FileCount));
    }

    [Fact]
    public async Task Dropped_connection_is_resumed_with_a_range_request_in_the_same_run()
    {
        _hub.CutNextCdnResponses(1, afterBytes: 100_000);

        var resolved = await Resolve(RepoId);

        var cdn = _hub.CdnRequests.ToList();
        Assert.Equal(2, cdn.Count);
        Assert.Null(cdn[0].Range);
        Assert.Equal("bytes=100000-", cdn[1].Range);
        Assert.Equal(TestData.Sha256(Q4), TestData.Sha256(await File.ReadAllBytesAsync(resolved.Path)));
    }

    [Fact]
    public async Task Interrupted_run_keeps_the_partial_blob_and_the_next_run_resumes_it()
    {
        var sha = TestData.Sha256(Q4);
        var incomplete = Path.Combine(RepoDirectory, "blobs", sha + ".incomplete");
        _hub.CutNextCdnResponses(1, afterBytes: 123_456);

        var error = await Assert.ThrowsAsync<ModelResolutionException>(() => Resolve(RepoId, attempts: 1));

        Assert.Equal(ModelResolutionErrorKind.Network, error.Kind);
        Assert.Contains("run again to resume", error.Message, StringComparison.Ordinal);
        Assert.Equal(123_456, new FileInfo(incomplete).Length);
        Assert.False(File.Exists(Path.Combine(RepoDirectory, "snapshots", Commit, "tiny-Q4_K_M.gguf")));

        var progress = new RecordingProgress();
        var resolved = await Resolve(RepoId, progress: progress);

        Assert.Equal("bytes=123456-", _hub.CdnRequests.Last().Range);
        Assert.Equal(123_456, progress.Reports[0].ResumedFromBytes);
        Assert.Equal(sha, TestData.Sha256(await File.ReadAllBytesAsync(resolved.Path)));
        Assert.False(File.Exists(incomplete));
    }

    [Fact]
    public async Task Stalled_transfer_is_abandoned_and_resumed()
    {
        _hub.CutNextCdnResponses(1, afterBytes: 70_000, stall: true);
        var options = TestOptions.For(HubDirectory, _hub.Endpoint) with { StallTimeout = TimeSpan.FromMilliseconds(300) };

        var resolved = await ModelLocator.ResolveAsync(ModelReference.Parse(RepoId), options);

        Assert.Equal("bytes=70000-", _hub.CdnRequests.Last().Range);
        Assert.Equal(Q4, await File.ReadAllBytesAsync(resolved.Path));
    }

    [Fact]
    public async Task Cancelling_mid_transfer_keeps_the_partial_blob()
    {
        // The CDN sends 80,000 bytes and then hangs; the cancellation arrives while the client waits for more.
        _hub.CutNextCdnResponses(1, afterBytes: 80_000, stall: true);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ModelLocator.ResolveAsync(
            ModelReference.Parse(RepoId), TestOptions.For(HubDirectory, _hub.Endpoint), null, cancel.Token));

        Assert.Equal(80_000, new FileInfo(Path.Combine(RepoDirectory, "blobs", TestData.Sha256(Q4) + ".incomplete")).Length);
    }

    [Fact]
    public async Task Cdn_server_error_is_retried()
    {
        _hub.FailNextCdnResponses(1);

        var resolved = await Resolve(RepoId);

        Assert.Equal(2, _hub.CdnRequests.Count());
        Assert.Equal(Q4, await File.ReadAllBytesAsync(resolved.Path));
    }

    [Fact]
    public async Task Server_ignoring_range_restarts_from_zero()
    {
        _hub.CutNextCdnResponses(1, afterBytes: 50_000);
        await Assert.ThrowsAsync<ModelResolutionException>(() => Resolve(RepoId, attempts: 1));
        _hub.IgnoreRange = true;

        var resolved = await Resolve(RepoId);

        Assert.Equal("bytes=50000-", _hub.CdnRequests.Last().Range);
        Assert.Equal(Q4, await File.ReadAllBytesAsync(resolved.Path));
    }

    [Fact]
    public async Task Sha256_mismatch_is_rejected_and_leaves_nothing_behind()
    {
        _hub.CorruptBlobs = true;

        var error = await Assert.ThrowsAsync<ModelResolutionException>(() => Resolve(RepoId));

        Assert.Equal(ModelResolutionErrorKind.Integrity, error.Kind);
        Assert.Contains("sha256", error.Message, StringComparison.Ordinal);
        Assert.Contains("tiny-Q4_K_M.gguf", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(RepoDirectory, "blobs")));
        Assert.False(Directory.Exists(Path.Combine(RepoDirectory, "snapshots")));
    }

    [Fact]
    public async Task Token_is_sent_to_the_hub_but_not_to_the_cdn()
    {
        _hub.RequiredToken = "hf_secret";

        await Resolve(RepoId, token: "hf_secret");

        Assert.All(_hub.Requests.Where(r => r.Server == "hub"), r => Assert.Equal("Bearer hf_secret", r.Authorization));
        Assert.All(_hub.CdnRequests, r => Assert.Null(r.Authorization));
        Assert.NotEmpty(_hub.CdnRequests);
    }

    [Fact]
    public async Task Missing_or_wrong_token_is_access_denied_mentioning_HF_TOKEN()
    {
        _hub.RequiredToken = "hf_secret";

        var anonymous = await Assert.ThrowsAsync<ModelResolutionException>(() => Resolve(RepoId));
        var wrong = await Assert.ThrowsAsync<ModelResolutionException>(() => Resolve(RepoId, token: "hf_wrong"));

        Assert.Equal(ModelResolutionErrorKind.AccessDenied, anonymous.Kind);
        Assert.Contains("set HF_TOKEN", anonymous.Message, StringComparison.Ordinal);
        Assert.Equal(ModelResolutionErrorKind.AccessDenied, wrong.Kind);
        Assert.Contains("HF_TOKEN", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gated_repository_says_so()
    {
        _hub.Gated = true;

        var error = await Assert.ThrowsAsync<ModelResolutionException>(() => Resolve(RepoId, token: "hf_any"));

        Assert.Equal(ModelResolutionErrorKind.AccessDenied, error.Kind);
        Assert.Contains("gated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_repository_is_not_found_with_similar_cached_models()
    {
        new HubCacheBuilder(HubDirectory).AddSnapshot("org/tiny-GGUF-v2", TestData.Commit("v2"), ["tiny-v2-Q4_K_M.gguf"]);

        var error = await Assert.ThrowsAsync<ModelResolutionException>(() => Resolve("org/tiny-GUFF"));

        Assert.Equal(ModelResolutionErrorKind.NotFound, error.Kind);
        Assert.Contains("'org/tiny-GUFF' was not found", error.Message, StringComparison.Ordinal);
        Assert.Contains("Similar cached models: org/tiny-GGUF-v2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quant_missing_on_the_hub_lists_the_gguf_files_there()
    {
        var error = await Assert.ThrowsAsync<ModelResolutionException>(() => Resolve(RepoId + ":Q6_K"));

        Assert.Equal(ModelResolutionErrorKind.NotFound, error.Kind);
        Assert.Contains("Q6_K", error.Message, StringComparison.Ordinal);
        Assert.Contains("tiny-Q4_K_M.gguf, tiny-Q8_0.gguf", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HF_ENDPOINT_from_the_environment_is_used()
    {
        var env = new Dictionary<string, string>
        {
            ["HF_ENDPOINT"] = _hub.Endpoint.ToString(),
            ["HF_HUB_CACHE"] = HubDirectory,
            ["HOME"] = _dir.Combine("home"),
        };
        var options = HubOptions.FromEnvironment(env.GetValueOrDefault);

        var resolved = await ModelLocator.ResolveAsync(ModelReference.Parse(RepoId + ":Q8_0"), options);

        Assert.True(resolved.Downloaded);
        Assert.Equal(Q8, await File.ReadAllBytesAsync(resolved.Path));
        Assert.Contains(_hub.Requests, r => r.PathOnly == "/api/models/org/tiny-GGUF/revision/main");
    }

    [Fact]
    public async Task Unreachable_hub_mentions_offline_mode_and_the_cache()
    {
        var options = TestOptions.For(HubDirectory, new Uri("http://127.0.0.1:9"));

        var error = await Assert.ThrowsAsync<ModelResolutionException>(() => ModelLocator.ResolveAsync(ModelReference.Parse(RepoId), options));

        Assert.Equal(ModelResolutionErrorKind.Network, error.Kind);
        Assert.Contains("HF_HUB_OFFLINE", error.Message, StringComparison.Ordinal);
        Assert.Contains(HubDirectory, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listing_without_lfs_details_falls_back_to_the_resolve_headers()
    {
        _hub.OmitLfsInfo = true;

        var resolved = await Resolve(RepoId);

        Assert.Equal(Path.Combine("..", "..", "blobs", TestData.Sha256(Q4)), new FileInfo(resolved.Path).LinkTarget);
    }

    [Fact]
    public async Task Blob_already_cached_under_another_revision_is_linked_without_downloading()
    {
        var sha = TestData.Sha256(Q4);
        Directory.CreateDirectory(Path.Combine(RepoDirectory, "blobs"));
        await File.WriteAllBytesAsync(Path.Combine(RepoDirectory, "blobs", sha), Q4);

        var resolved = await Resolve(RepoId);

        Assert.False(resolved.Downloaded);
        Assert.Empty(_hub.CdnRequests);
        Assert.Equal(Q4, await File.ReadAllBytesAsync(resolved.Path));
    }

    [Fact]
    public async Task Cancellation_is_honoured()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ModelLocator.ResolveAsync(
            ModelReference.Parse(RepoId), TestOptions.For(HubDirectory, _hub.Endpoint), null, cancelled.Token));
    }
}

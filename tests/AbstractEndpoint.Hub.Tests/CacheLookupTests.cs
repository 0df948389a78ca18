using AbstractEndpoint.Hub.Tests.Support;
using AbstractEndpoint.TestSupport.LocalHub;

namespace AbstractEndpoint.Hub.Tests;

/// <summary>Resolution from a cache written in huggingface_hub's layout, with no hub reachable.</summary>
public sealed class CacheLookupTests : IDisposable
{
    private static readonly string Commit = TestData.Commit("cached");

    private readonly TempDirectory _dir = new();
    private readonly HubCacheBuilder _cache;

    public CacheLookupTests()
    {
        _cache = new HubCacheBuilder(_dir.Combine("hub"));
    }

    public void Dispose() => _dir.Dispose();

    private Task<ResolvedModel> Resolve(string model, string? hfFile = null, bool offline = true) =>
        ModelLocator.ResolveAsync(ModelReference.Parse(model, hfFile), TestOptions.For(_cache.HubDirectory, offline: offline));

    [Fact]
    public async Task Cache_hit_prefers_requested_quant_then_Q4_K_M_then_first_sorted()
    {
        var snapshot = _cache.AddSnapshot("org/model-GGUF", Commit, ["model-Q2_K.gguf", "model-Q4_K_M.gguf", "model-Q8_0.gguf", "mmproj-f16.gguf"]);

        var requested = await Resolve("org/model-GGUF:q8_0");
        var preferred = await Resolve("org/model-GGUF");

        Assert.Equal(Path.Combine(snapshot, "model-Q8_0.gguf"), requested.Path);
        Assert.Equal(Path.Combine(snapshot, "model-Q4_K_M.gguf"), preferred.Path);
        Assert.Equal("org/model-GGUF", preferred.RepoId);
        Assert.Equal(Commit, preferred.Revision);
        Assert.False(preferred.Downloaded);

        _cache.AddSnapshot("org/other", Commit, ["b-Q6_K.gguf", "a-Q5_0.gguf", "mmproj-a.gguf"]);
        Assert.EndsWith("a-Q5_0.gguf", (await Resolve("org/other")).Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cache_hit_does_not_need_the_network_even_when_online()
    {
        _cache.AddSnapshot("org/model", Commit, ["m-Q4_K_M.gguf"]);

        // Online, but the endpoint is a closed port: any request would fail the test.
        var resolved = await Resolve("org/model", offline: false);

        Assert.EndsWith("m-Q4_K_M.gguf", resolved.Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_files_without_symlinks_or_refs_are_accepted()
    {
        var snapshot = _cache.AddSnapshot("org/copied", Commit, ["copied-Q4_K_M.gguf"], symlinks: false, writeRef: false);

        var resolved = await Resolve("org/copied");

        Assert.Equal(Path.Combine(snapshot, "copied-Q4_K_M.gguf"), resolved.Path);
        Assert.Equal(Commit, resolved.Revision);
    }

    [Fact]
    public async Task Split_model_resolves_to_first_part_and_lists_all_parts()
    {
        var snapshot = _cache.AddSnapshot("org/big", Commit, ["Q4_K_M/big-Q4_K_M-00002-of-00003.gguf", "Q4_K_M/big-Q4_K_M-00001-of-00003.gguf", "Q4_K_M/big-Q4_K_M-00003-of-00003.gguf"]);

        var resolved = await Resolve("org/big:Q4_K_M");

        Assert.Equal(Path.Combine(snapshot, "Q4_K_M", "big-Q4_K_M-00001-of-00003.gguf"), resolved.Path);
        Assert.Equal(3, resolved.Files.Count);
        Assert.All(resolved.Files, f => Assert.True(File.Exists(f)));
    }

    [Fact]
    public async Task Split_model_with_a_missing_part_is_not_a_cache_hit()
    {
        _cache.AddSnapshot("org/big", Commit, ["big-00001-of-00003.gguf", "big-00003-of-00003.gguf"]);

        var error = await Assert.ThrowsAsync<ModelResolutionException>(() => Resolve("org/big"));

        Assert.Contains("big-00002-of-00003.gguf", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dangling_symlink_counts_as_missing()
    {
        var snapshot = _cache.AddSnapshot("org/model", Commit, ["m-Q4_K_M.gguf"]);
        File.Delete(new FileInfo(Path.Combine(snapshot, "m-Q4_K_M.gguf")).ResolveLinkTarget(returnFinalTarget: true)!.FullName);

        await Assert.ThrowsAsync<ModelResolutionException>(() => Resolve("org/model"));
    }

    [Fact]
    public async Task Hf_file_selects_the_exact_file()
    {
        var snapshot = _cache.AddSnapshot("org/model", Commit, ["m-Q4_K_M.gguf", "mmproj-m-f16.gguf"]);

        var resolved = await Resolve("org/model", hfFile: "mmproj-m-f16.gguf");

        Assert.Equal(Path.Combine(snapshot, "mmproj-m-f16.gguf"), resolved.Path);
    }

    [Fact]
    public async Task Offline_miss_lists_similar_cached_models()
    {
        _cache.AddSnapshot("Qwen/Qwen3-0.6B-GGUF", Commit, ["Qwen3-0.6B-Q4_K_M.gguf"]);
        _cache.AddSnapshot("unsloth/Qwen3-0.6B-GGUF", Commit, ["Qwen3-0.6B-Q8_0.gguf"]);
        _cache.AddSnapshot("ggml-org/gemma-3-270m-GGUF", Commit, ["gemma-Q8_0.gguf"]);

        var error = await Assert.ThrowsAsync<ModelResolutionException>(() => Resolve("Qwen/Qwen3-0.6B"));

        Assert.Equal(ModelResolutionErrorKind.NotFound, error.Kind);
        Assert.Contains("HF_HUB_OFFLINE", error.Message, StringComparison.Ordinal);
        Assert.Contains(_cache.HubDirectory, error.Message, StringComparison.Ordinal);
        var similar = error.Message[error.Message.IndexOf("Similar cached models:", StringComparison.Ordinal)..];
        Assert.True(
            similar.IndexOf("Qwen/Qwen3-0.6B-GGUF", StringComparison.Ordinal) < similar.IndexOf("unsloth/Qwen3-0.6B-GGUF", StringComparison.Ordinal),
            error.Message);
        Assert.DoesNotContain("gemma", similar, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offline_miss_of_a_quant_lists_the_cached_gguf_files()
    {
        _cache.AddSnapshot("org/model", Commit, ["m-Q4_K_M.gguf", "m-Q8_0.gguf", "README.md"]);

        var error = await Assert.ThrowsAsync<ModelResolutionException>(() => Resolve("org/model:Q6_K"));

        Assert.Contains("m-Q4_K_M.gguf, m-Q8_0.gguf", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_split_file_lists_its_parts()
    {
        var first = _dir.CreateFile("local/x-00001-of-00002.gguf");
        var second = _dir.CreateFile("local/x-00002-of-00002.gguf");

        var resolved = await ModelLocator.ResolveAsync(ModelReference.ForFile(first), TestOptions.For(_cache.HubDirectory));

        Assert.Equal(first, resolved.Path);
        Assert.Equal([first, second], resolved.Files);
        Assert.Null(resolved.RepoId);
    }
}

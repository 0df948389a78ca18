using System.Text.Json;
using AbstractEndpoint.PromptCaching.Modules;
using AbstractEndpoint.TestSupport;

namespace AbstractEndpoint.PromptCaching.Tests;

/// <summary>Keys and hashes against the original's derivation as evaluated by CPython (the bodies: Protocol.Tests).</summary>
public sealed class KeyDerivationVectorTests
{
    public static TheoryData<int> Cases => PythonVectors.Indexes("keys");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Hashed_payloads_are_byte_identical(int index)
    {
        var vector = PythonVectors.Section("keys")[index];
        var expected = vector.GetProperty("expected");
        if (!expected.GetProperty("supported").GetBoolean())
        {
            return;
        }

        using var modules = JsonDocument.Parse(vector.GetProperty("modules").GetString()!);
        var version = vector.GetProperty("version").GetInt64();
        var normalized = PromptCacheModuleNormalizer.NormalizeAll(modules.RootElement.EnumerateArray());
        var payloads = expected.GetProperty("payloads").EnumerateArray().Select(p => p.GetString()).ToList();

        Assert.Equal(payloads, normalized.Select(m => PromptCacheKeyDerivation.CanonicalPayload(m, version)));

        var derived = PromptCacheKeyDerivation.Derive(vector.GetProperty("namespace").GetString()!, normalized, version);
        var expectedKeys = expected.GetProperty("modules").EnumerateArray().Select(m => m.GetProperty("cache_key").GetString()).ToList();
        Assert.Equal(expectedKeys, derived.Select(d => d.CacheKey));
        Assert.Equal(expected.GetProperty("final_cache_key").GetString(), derived[^1].CacheKey);
    }

    [Fact]
    public void Seeds_match_python()
    {
        foreach (var seed in PythonVectors.Section("prefix_seeds").EnumerateArray())
        {
            Assert.Equal(seed.GetProperty("h0").GetString(), PromptCacheKeyDerivation.Seed(seed.GetProperty("version").GetInt64()));
        }
    }

    [Fact]
    public void Vectors_cover_what_the_brief_requires()
    {
        var names = PythonVectors.Section("keys").EnumerateArray().Select(k => k.GetProperty("name").GetString()).ToList();
        Assert.Contains("unicode everywhere", names);
        Assert.Contains("key order inside modules and tools does not matter", names);
        Assert.Contains("unknown key skips the module and changes the chain", names);
        Assert.Contains("original test modules v2", names);
        Assert.True(names.Count >= 30);
    }

    [Fact]
    public void Key_order_and_meta_do_not_change_keys_but_a_skipped_module_does()
    {
        var byName = PythonVectors.Section("keys").EnumerateArray()
            .ToDictionary(k => k.GetProperty("name").GetString()!, k => k.GetProperty("expected_body").GetString());

        Assert.Equal(byName["original test modules v1"], byName["key order inside modules and tools does not matter"]);
        Assert.Equal(byName["original test modules v1"], byName["meta is not hashed"]);
        Assert.NotEqual(byName["original test modules v1"], byName["original test modules v2"]);
        Assert.Equal(byName["unknown key skips the module and changes the chain"], byName["same chain without the skipped module"]);
    }
}

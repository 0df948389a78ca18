using System.Text.Json;
using AbstractEndpoint.PromptCaching.Modules;
using AbstractEndpoint.TestSupport;

namespace AbstractEndpoint.PromptCaching.Tests;

/// <summary>
/// Keys and hashes against the newest contract's derivation as evaluated by CPython (Data/generate_python_vectors.py;
/// the bodies: Protocol.Tests), and the spec's worked example with its values pasted from a python3 run.
/// </summary>
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
        var thinking = vector.GetProperty("thinking") is { ValueKind: JsonValueKind.String } word ? word.GetString() : null;
        var payloads = expected.GetProperty("payloads").EnumerateArray().Select(p => p.GetString()).ToList();

        Assert.Equal(payloads, normalized.Select(m => PromptCacheKeyDerivation.CanonicalPayload(m, version)));

        var derived = PromptCacheKeyDerivation.Derive(vector.GetProperty("namespace").GetString()!, normalized, version, thinking);
        var expectedKeys = expected.GetProperty("modules").EnumerateArray().Select(m => m.GetProperty("cache_key").GetString()).ToList();
        Assert.Equal(expectedKeys, derived.Select(d => d.CacheKey));
        Assert.Equal(expected.GetProperty("final_cache_key").GetString(), derived[^1].CacheKey);
    }

    [Fact]
    public void Seeds_match_python()
    {
        foreach (var seed in PythonVectors.Section("prefix_seeds").EnumerateArray())
        {
            var thinking = seed.GetProperty("thinking") is { ValueKind: JsonValueKind.String } word ? word.GetString() : null;
            Assert.Equal(seed.GetProperty("h0").GetString(), PromptCacheKeyDerivation.Seed(seed.GetProperty("version").GetInt64(), thinking));
        }
    }

    [Fact]
    public void Vectors_cover_what_the_brief_requires()
    {
        var names = PythonVectors.Section("keys").EnumerateArray().Select(k => k.GetProperty("name").GetString()).ToList();
        Assert.Contains("unicode everywhere", names);
        Assert.Contains("key order inside modules and tools does not matter", names);
        Assert.Contains("unknown key fails the whole call", names);
        Assert.Contains("the spec's worked example", names);
        Assert.Contains("messages: only role, content and the four extras are hashed", names);
        Assert.Contains("the worked example with thinking on", names);
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
    }

    [Fact]
    public void Invalid_modules_fail_the_whole_call_with_their_index()
    {
        foreach (var vector in PythonVectors.Section("keys").EnumerateArray())
        {
            var expected = vector.GetProperty("expected");
            if (expected.GetProperty("supported").GetBoolean() || expected.GetProperty("code").GetString() != "prompt_cache_invalid_module")
            {
                continue;
            }

            using var modules = JsonDocument.Parse(vector.GetProperty("modules").GetString()!);
            var error = Assert.Throws<Control.PromptCacheOperationException>(
                () => PromptCacheModuleNormalizer.NormalizeAll(modules.RootElement.EnumerateArray()));
            Assert.Equal(expected.GetProperty("error").GetString(), error.Message);
        }
    }

    /// <summary>
    /// shared/docs/upstream-endpoint-2026.md section 4's worked example, every value as python3 printed it
    /// (json.dumps(sort_keys=True, ensure_ascii=False, separators=(",", ":")) and hashlib.sha256).
    /// </summary>
    [Fact]
    public void The_spec_s_worked_example_comes_out_exactly()
    {
        using var modules = JsonDocument.Parse("""
            [{"module_id":"persona","system_prompt":"You are Ada, a careful assistant."},
             {"module_id":"memory","messages":[{"role":"user","content":"My name is Bo."},{"role":"assistant","content":"Hello Bo."}]}]
            """);
        var normalized = PromptCacheModuleNormalizer.NormalizeAll(modules.RootElement.EnumerateArray());

        Assert.Equal("8e098c1eedd39fc5ecaa2b5f6d2eea1d128d068d37bdfc36b514d54393c24d47", PromptCacheKeyDerivation.Seed(1));
        Assert.Equal(
            """{"add_generation_prompt":false,"messages":null,"module_id":"persona","prompt":null,"scope":"private","system_prompt":"You are Ada, a careful assistant.","tools":null,"v":1}""",
            PromptCacheKeyDerivation.CanonicalPayload(normalized[0], 1));
        Assert.Equal(
            """{"add_generation_prompt":false,"messages":[{"content":"My name is Bo.","role":"user"},{"content":"Hello Bo.","role":"assistant"}],"module_id":"memory","prompt":null,"scope":"private","system_prompt":null,"tools":null,"v":1}""",
            PromptCacheKeyDerivation.CanonicalPayload(normalized[1], 1));

        var derived = PromptCacheKeyDerivation.Derive("tenant:1", normalized, 1);
        Assert.Equal("59c835bdace45a487b6f77869e43e2d88c0cf0984a2af26415c0403d9c100adc", derived[0].ModuleHash);
        Assert.Equal("tenant:1:b7ceb4cf434d67fabbabf77de95f9f4e", derived[0].CacheKey);
        Assert.Equal("5fa59b37f33e9167c299786cfdfb4f54d407be8dd586c26627af95ef28dfdb7e", derived[1].ModuleHash);
        Assert.Equal("tenant:1:87213f16e191d4cb60cc3109f0cd1182", derived[1].CacheKey);

        // Our thinking fold (python3: sha256("acore-prompt-cache:1:thinking=on") as h0, then the same chain).
        Assert.Equal("tenant:1:82d50628a212dcabc1c9c8a38e1459aa", PromptCacheKeyDerivation.Derive("tenant:1", normalized, 1, "on")[1].CacheKey);
    }
}

using System.Text.Json;
using AbstractEndpoint.PromptCaching.Modules;

namespace AbstractEndpoint.PromptCaching.Tests;

/// <summary>The original's module normalisation, one rule per test.</summary>
public sealed class ModuleNormalizerTests
{
    private static PromptCacheModule? Normalize(string json)
    {
        using var document = JsonDocument.Parse(json);
        return PromptCacheModuleNormalizer.TryNormalize(document.RootElement, out var module) ? module : null;
    }

    private static PromptCacheModule Require(string json) => Normalize(json) ?? throw new InvalidOperationException("skipped");

    [Fact]
    public void Texts_are_trimmed()
    {
        var module = Require("""{"module_id":" id\u001c","system_prompt":"\tYou are helpful \u3000","prompt":" hi "}""");
        Assert.Equal("id", module.ModuleId);
        Assert.Equal("You are helpful", module.SystemPrompt);
        Assert.Equal("hi", module.Prompt);
    }

    [Fact]
    public void Blank_or_non_string_texts_are_null()
    {
        var module = Require("""{"module_id":"m","system_prompt":"   ","prompt":5}""");
        Assert.Null(module.SystemPrompt);
        Assert.Null(module.Prompt);
    }

    [Fact]
    public void Non_object_list_items_are_dropped_and_empty_lists_are_null()
    {
        var module = Require("""{"module_id":"m","messages":[1,"x",null,{"role":"user"},[]],"tools":[1,2]}""");
        Assert.Single(module.Messages!);
        Assert.Equal("user", module.Messages![0].GetProperty("role").GetString());
        Assert.Null(module.Tools);
        Assert.Null(Require("""{"module_id":"m","messages":[]}""").Messages);
        Assert.Null(Require("""{"module_id":"m","messages":{"role":"user"}}""").Messages);
    }

    [Fact]
    public void Unknown_field_skips_the_module()
    {
        Assert.Null(Normalize("""{"module_id":"m","role":"system"}"""));
    }

    [Fact]
    public void Missing_module_id_skips_the_module_but_null_id_is_empty()
    {
        Assert.Null(Normalize("""{"prompt":"x"}"""));
        Assert.Equal("", Require("""{"module_id":null}""").ModuleId);
    }

    [Fact]
    public void Non_object_module_is_skipped()
    {
        Assert.Null(Normalize("[]"));
        Assert.Null(Normalize("\"m\""));
    }

    [Theory]
    [InlineData("1", "1")]
    [InlineData("1.0", "1.0")]
    [InlineData("true", "True")]
    [InlineData("0", "")]
    [InlineData("[1,\"a\"]", "[1, 'a']")]
    public void Module_id_prints_as_python_str(string json, string expected)
    {
        Assert.Equal(expected, Require($$"""{"module_id":{{json}}}""").ModuleId);
    }

    [Theory]
    [InlineData("\"shared\"", PromptCacheScope.Shared)]
    [InlineData("\" SHARED \"", PromptCacheScope.Shared)]
    [InlineData("\"\u017fhared\"", PromptCacheScope.Private)]
    [InlineData("\"public\"", PromptCacheScope.Private)]
    [InlineData("null", PromptCacheScope.Private)]
    [InlineData("1", PromptCacheScope.Private)]
    public void Scope_is_shared_or_private(string json, PromptCacheScope expected)
    {
        Assert.Equal(expected, Require($$"""{"module_id":"m","scope":{{json}}}""").Scope);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("\"false\"", true)]
    [InlineData("0", false)]
    [InlineData("[]", false)]
    public void Add_generation_prompt_is_python_truthiness(string json, bool expected)
    {
        Assert.Equal(expected, Require($$"""{"module_id":"m","add_generation_prompt":{{json}}}""").AddGenerationPrompt);
    }

    [Fact]
    public void Meta_is_kept_but_a_meta_dict_rejects_skips_the_module()
    {
        Assert.Equal("o", Require("""{"module_id":"m","meta":{"owner":"o"}}""").Meta!.Value.GetProperty("owner").GetString());
        Assert.Null(Normalize("""{"module_id":"m","meta":"abc"}"""));
    }

    [Fact]
    public void Meta_is_not_hashed()
    {
        var plain = Require("""{"module_id":"m","prompt":"p"}""");
        var withMeta = Require("""{"module_id":"m","prompt":"p","meta":{"a":1}}""");
        Assert.Equal(PromptCacheKeyDerivation.ModuleHash(plain, 1), PromptCacheKeyDerivation.ModuleHash(withMeta, 1));
    }

    [Fact]
    public void Payload_has_the_original_fields_in_sorted_order()
    {
        var module = Require("""{"module_id":"m","prompt":"p","tools":[{"b":1,"a":2}]}""");
        Assert.Equal(
            """{"add_generation_prompt":false,"messages":null,"module_id":"m","prompt":"p","scope":"private","system_prompt":null,"tools":[{"a":2,"b":1}],"v":2}""",
            PromptCacheKeyDerivation.CanonicalPayload(module, 2));
    }

    [Fact]
    public void Keys_chain_from_the_versioned_seed()
    {
        var module = Require("""{"module_id":"m"}""");
        var derived = PromptCacheKeyDerivation.Derive(" ns ", [module, module], 1);
        var first = PromptCacheKeyDerivation.Chain(PromptCacheKeyDerivation.Seed(1), PromptCacheKeyDerivation.ModuleHash(module, 1));
        var second = PromptCacheKeyDerivation.Chain(first, PromptCacheKeyDerivation.ModuleHash(module, 1));
        Assert.Equal("ns:" + first[..16], derived[0].CacheKey);
        Assert.Equal("ns:" + second[..16], derived[1].CacheKey);
        Assert.Throws<ArgumentException>(() => PromptCacheKeyDerivation.Derive(" \u001c ", [module], 1));
    }
}

using System.Text.Json;
using AbstractEndpoint.PromptCaching.Modules;

namespace AbstractEndpoint.PromptCaching.Tests;

/// <summary>The newest contract's module normalisation, one rule per test.</summary>
public sealed class ModuleNormalizerTests
{
    private static PromptCacheModule? Normalize(string json)
    {
        using var document = JsonDocument.Parse(json);
        return PromptCacheModuleNormalizer.TryNormalize(document.RootElement, out var module, out _) ? module : null;
    }

    private static string Refusal(string json)
    {
        using var document = JsonDocument.Parse(json);
        Assert.False(PromptCacheModuleNormalizer.TryNormalize(document.RootElement, out _, out var reason));
        return reason;
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
        Assert.Equal("""{"role":"user","content":null}""", module.Messages![0].GetRawText());
        Assert.Null(module.Tools);
        Assert.Null(Require("""{"module_id":"m","messages":[]}""").Messages);
        Assert.Null(Require("""{"module_id":"m","messages":{"role":"user"}}""").Messages);
    }

    [Fact]
    public void Messages_keep_only_role_content_and_the_tool_call_extras()
    {
        var module = Require("""
            {"module_id":"m","messages":[{"role":" USER ","content":"hi","id":"x","name":"bo"},{"role":"","content":"dropped"},
             {"content":"no role"},{"role":"tool","tool_call_id":"c1","content":"42","extra":true}]}
            """);
        Assert.Equal(
            ["""{"role":"user","content":"hi","name":"bo"}""", """{"role":"tool","content":"42","tool_call_id":"c1"}"""],
            module.Messages!.Select(m => m.GetRawText()));
    }

    [Fact]
    public void Unknown_field_refuses_the_module_and_names_it()
    {
        Assert.Equal("unknown field 'role'", Refusal("""{"module_id":"m","role":"system"}"""));
    }

    [Fact]
    public void A_missing_or_blank_module_id_refuses_the_module()
    {
        Assert.Equal("module_id is required", Refusal("""{"prompt":"x"}"""));
        Assert.Equal("module_id must not be blank", Refusal("""{"module_id":null}"""));
        Assert.Equal("module_id must not be blank", Refusal("""{"module_id":"  "}"""));
    }

    [Fact]
    public void Non_object_module_is_refused()
    {
        Assert.Equal("not an object", Refusal("[]"));
        Assert.Equal("not an object", Refusal("\"m\""));
    }

    [Fact]
    public void One_invalid_module_fails_the_list_naming_its_index()
    {
        using var document = JsonDocument.Parse("""[{"module_id":"a"},{"module_id":"b"},{"module_id":""}]""");
        var error = Assert.Throws<Control.PromptCacheOperationException>(
            () => PromptCacheModuleNormalizer.NormalizeAll(document.RootElement.EnumerateArray()));
        Assert.Equal(Control.PromptCacheErrorCodes.InvalidModule, error.Code);
        Assert.Equal("Invalid prompt cache module at index 2: module_id must not be blank", error.Message);
    }

    [Theory]
    [InlineData("1", "1")]
    [InlineData("1.0", "1.0")]
    [InlineData("true", "True")]
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
    public void Meta_is_kept_but_a_meta_dict_rejects_refuses_the_module()
    {
        Assert.Equal("o", Require("""{"module_id":"m","meta":{"owner":"o"}}""").Meta!.Value.GetProperty("owner").GetString());
        Assert.Equal("meta must be a mapping", Refusal("""{"module_id":"m","meta":"abc"}"""));
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
        Assert.Equal("ns:" + first[..32], derived[0].CacheKey);
        Assert.Equal("ns:" + second[..32], derived[1].CacheKey);
        Assert.Throws<ArgumentException>(() => PromptCacheKeyDerivation.Derive(" \u001c ", [module], 1));
    }
}

using AbstractEndpoint.PromptCaching.Control;

namespace AbstractEndpoint.Providers.Tests;

public sealed class KeyedPromptCacheControlTests
{
    [Fact]
    public void Set_records_the_key_and_makes_it_the_default_unless_told_not_to()
    {
        var keys = new KeyedPromptCacheControl("openai", "gpt");

        keys.Set(new PromptCacheSetRequest("a"));
        keys.Set(new PromptCacheSetRequest("b", MakeDefault: false));

        Assert.Equal("a", keys.DefaultKey);
        var stats = keys.Stats();
        Assert.Equal(["a", "b"], stats.Keys);
        Assert.Equal("openai", stats.MetaByKey[0].Value["provider"]!.GetValue<string>());
    }

    [Fact]
    public void Clearing_the_default_key_unsets_it_and_clearing_everything_forgets_all()
    {
        var keys = new KeyedPromptCacheControl("openai", "gpt");
        keys.Set(new PromptCacheSetRequest("a"));
        keys.Set(new PromptCacheSetRequest("b", MakeDefault: false));

        keys.Clear(new PromptCacheClearRequest("a"));
        Assert.Null(keys.DefaultKey);
        Assert.Equal(["b"], keys.Stats().Keys);

        keys.Clear(new PromptCacheClearRequest());
        Assert.Empty(keys.Stats().Keys);
    }

    [Fact]
    public void Blank_and_unknown_keys_and_the_missing_operations_have_the_contracts_codes()
    {
        var keys = new KeyedPromptCacheControl("openai", "gpt");

        Assert.Equal(PromptCacheErrorCodes.InvalidKey, Assert.Throws<PromptCacheOperationException>(() => keys.Set(new PromptCacheSetRequest(" "))).Code);
        Assert.Equal(PromptCacheErrorCodes.MissingKey, Assert.Throws<PromptCacheOperationException>(() => keys.Clear(new PromptCacheClearRequest("x"))).Code);
        Assert.Equal(PromptCacheErrorCodes.Unsupported, Assert.Throws<PromptCacheOperationException>(() => keys.Fork(new PromptCacheForkRequest("a", "b"))).Code);
        Assert.Equal("keyed", keys.Capabilities.Mode);
        Assert.False(keys.Capabilities.SupportsUpdate);
    }

    [Fact]
    public void The_oldest_key_is_forgotten_beyond_the_bound()
    {
        var keys = new KeyedPromptCacheControl("openai", "gpt");
        for (var i = 0; i <= KeyedPromptCacheControl.MaxEntries; i++)
        {
            keys.Set(new PromptCacheSetRequest("k" + i, MakeDefault: false));
        }

        var stats = keys.Stats();
        Assert.Equal(KeyedPromptCacheControl.MaxEntries, stats.Entries);
        Assert.DoesNotContain("k0", stats.Keys);
    }
}

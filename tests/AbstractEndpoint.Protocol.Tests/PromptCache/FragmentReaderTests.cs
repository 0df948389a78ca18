using System.Text.Json;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.PromptCaching.Manager;
using AbstractEndpoint.PromptCaching.Store;
using AbstractEndpoint.PromptCaching.Tests.Support;
using AbstractEndpoint.Protocol.PromptCache;

namespace AbstractEndpoint.Protocol.Tests.PromptCache;

/// <summary>Fragments reach the backend as domain messages, read with the chat request's rules, when appended.</summary>
public sealed class FragmentReaderTests
{
    private readonly FakeBackend _backend = new();
    private readonly PromptCacheManager<FakeCache> _manager;

    public FragmentReaderTests() =>
        _manager = new(new PromptCacheStore<FakeCache>(new PromptCacheStoreOptions { MaxEntries = 8 }), _backend);

    private static PromptCacheFragment Fragment(string messages, string tools = "[]")
    {
        using var m = JsonDocument.Parse(messages);
        using var t = JsonDocument.Parse(tools);
        return new PromptCacheFragment(
            "p", [.. m.RootElement.EnumerateArray().Select(e => e.Clone())], "s", [.. t.RootElement.EnumerateArray().Select(e => e.Clone())], true);
    }

    [Fact]
    public void Messages_and_tools_become_domain_types()
    {
        var read = PromptCacheFragmentReader.Instance.Read(Fragment(
            """[{"role":"system","content":"be brief"},{"role":"user","content":[{"type":"text","text":"hi"}]}]""",
            """[{"type":"function","function":{"name":"lookup","parameters":{"type":"object"}}}]"""));

        Assert.Equal([(ChatRole.System, "be brief"), (ChatRole.User, "hi")], read.Messages.Select(m => (m.Role, m.Content)));
        Assert.Equal("lookup", Assert.Single(read.Tools).Name);
        Assert.Equal(("p", "s", true), (read.Prompt, read.SystemPrompt, read.AddGenerationPrompt));
    }

    [Fact]
    public void A_malformed_message_is_a_400_naming_it_once_appended()
    {
        Assert.True(_manager.Set("k"));
        var error = Assert.ThrowsAny<InvalidRequestException>(
            () => _manager.Update("k", Fragment("""[{"role":"wizard","content":"x"}]"""), PromptCacheFragmentReader.Instance));
        Assert.StartsWith("messages[0]", error.Param, StringComparison.Ordinal);
        Assert.Equal(0, _backend.Appends);
    }

    [Fact]
    public void A_refused_key_answers_its_code_before_any_message_is_read()
    {
        // As the original: a blank key is refused (now prompt_cache_invalid_key) whatever the messages hold.
        var error = Assert.Throws<PromptCaching.Control.PromptCacheOperationException>(
            () => _manager.Update(" ", Fragment("""[{"role":"wizard"}]"""), PromptCacheFragmentReader.Instance));
        Assert.Equal("prompt_cache_invalid_key", error.Code);
        Assert.Equal(0, _backend.Appends);
    }
}

using System.Text;
using System.Text.Json;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.PromptCaching.Control;
using AbstractEndpoint.PromptCaching.Manager;
using AbstractEndpoint.PromptCaching.Store;
using AbstractEndpoint.PromptCaching.Tests.Support;
using AbstractEndpoint.Protocol.PromptCache;
using AbstractEndpoint.TestSupport;

namespace AbstractEndpoint.Protocol.Tests.PromptCache;

/// <summary>
/// prepare_modules bodies (success and coded failure) against the newest contract's as rendered by CPython, byte for byte. The vectors' modules hold
/// any objects (only their hashes matter), so their messages are not read as OpenAI messages here.
/// </summary>
public sealed class PrepareModulesBodyVectorTests
{
    public static TheoryData<int> Cases => PythonVectors.Indexes("keys");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Prepare_modules_body_is_byte_identical(int index)
    {
        var vector = PythonVectors.Section("keys")[index];
        using var modules = JsonDocument.Parse(vector.GetProperty("modules").GetString()!);
        var manager = new PromptCacheManager<FakeCache>(
            new PromptCacheStore<FakeCache>(new PromptCacheStoreOptions { MaxEntries = 64 }), new FakeBackend());

        var capabilities = PromptCacheCapabilities.LocalControlPlane(persistent: false);
        var thinking = vector.GetProperty("thinking").GetString() switch
        {
            null => null,
            var word => ReasoningControl.TryParseThinking(word, out var control) ? control : throw new InvalidOperationException(word),
        };
        byte[] body;
        try
        {
            var result = manager.PrepareModules(
                vector.GetProperty("namespace").GetString(),
                [.. modules.RootElement.EnumerateArray()],
                new StubFragmentReader(),
                version: vector.GetProperty("version").GetInt64(),
                reasoning: thinking);
            body = PromptCacheResponseWriter.PrepareModules(result, capabilities);
        }
        catch (PromptCacheOperationException ex)
        {
            body = PromptCacheResponseWriter.Error(PromptCacheOperations.PrepareModules, ex.Code, ex.Message, capabilities);
        }

        Assert.Equal(vector.GetProperty("expected_body").GetString(), Encoding.UTF8.GetString(body));
    }
}

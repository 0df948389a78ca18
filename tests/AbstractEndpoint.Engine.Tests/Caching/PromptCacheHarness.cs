using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Caching;
using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.Engine.Tests.Fakes;
using AbstractEndpoint.Engine.Tests.Support;
using AbstractEndpoint.PromptCaching.Control;
using AbstractEndpoint.PromptCaching.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace AbstractEndpoint.Engine.Tests.Caching;

/// <summary>
/// A <see cref="LocalChatBackend"/> with named prompt caches over the fake runtime: <see cref="Slots"/> slots, then
/// the cache sequences of <see cref="SequenceLayout.ForCaches"/>. Disposing stops the loop.
/// </summary>
public sealed class PromptCacheHarness : IDisposable
{
    public const int BatchSize = 16;
    public const int PrefillChunk = 8;
    public const int Slots = 2;

    public PromptCacheHarness(int maxEntries = 4, int contextSize = 4096, string? directory = null, int states = 0)
    {
        Layout = SequenceLayout.ForCaches(Slots, maxEntries, states);
        Vocabulary = new FakeVocabulary();
        Runtime = new FakeModelRuntime(Vocabulary, contextSize, BatchSize, sequenceCount: Layout.Total);
        Loop = new InferenceLoop(
            Runtime, new SchedulerOptions { Layout = Layout, PrefillChunkWhileGenerating = PrefillChunk }, NullLogger<InferenceLoop>.Instance);
        Template = new FakeChatTemplate();
        Caches = new PromptCacheService(Loop, Runtime, Template, new PromptCacheStoreOptions { MaxEntries = maxEntries })
        {
            Directory = directory is null ? null : new PromptCacheDirectory(directory),
        };
        States = new ConversationStateCache(Loop);
        Backend = new LocalChatBackend("fake-model", Runtime, Loop, Template) { PromptCaches = Caches, ConversationStates = States };
    }

    public SequenceLayout Layout { get; }

    public FakeVocabulary Vocabulary { get; }

    public FakeModelRuntime Runtime { get; }

    public InferenceLoop Loop { get; }

    public FakeChatTemplate Template { get; }

    public PromptCacheService Caches { get; }

    public LocalChatBackend Backend { get; }

    /// <summary>The server-managed conversation states (none kept unless the harness was made with some).</summary>
    public ConversationStateCache States { get; }

    public static PromptCacheUpdateRequest Update(string key, string prompt) => new(key) { Prompt = prompt, Reader = TextFragmentReader.Instance };

    public static ChatRequest Chat(string content, string? key = null, int maxOutputTokens = 4) =>
        FakeChatTemplate.UserRequest(content, maxOutputTokens) with { PromptCacheKey = key };

    /// <summary>The meta stats report for a key.</summary>
    public System.Text.Json.Nodes.JsonObject Meta(string key) => Caches.Stats().MetaByKey.Single(m => m.Key == key).Value;

    /// <summary>The loop's record of a key's cache, from its published snapshot.</summary>
    public CacheSequenceInfo Info(string key) => Caches.Describe(key) ?? throw new InvalidOperationException($"no cache '{key}'");

    /// <summary>Streams a chat to its end; returns its text and usage.</summary>
    public async Task<(string Text, Usage Usage)> ChatAsync(ChatRequest request)
    {
        var text = new System.Text.StringBuilder();
        Usage? usage = null;
        await foreach (var update in Backend.StreamAsync(request, CancellationToken.None).WithTimeout())
        {
            switch (update)
            {
                case ContentDelta delta:
                    text.Append(delta.Text);
                    break;
                case ChatFinished finished:
                    usage = finished.Usage;
                    break;
            }
        }

        return (text.ToString(), usage ?? throw new InvalidOperationException("no usage"));
    }

    public void Dispose()
    {
        Loop.Dispose();
        Runtime.Dispose();
    }
}

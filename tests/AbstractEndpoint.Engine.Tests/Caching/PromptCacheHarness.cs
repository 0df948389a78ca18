using AbstractEndpoint.Engine.Caching;
using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.Engine.Tests.Fakes;
using AbstractEndpoint.PromptCaching.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace AbstractEndpoint.Engine.Tests.Caching;

/// <summary>
/// A <see cref="LocalChatBackend"/> with named prompt caches over the fake runtime: two slots (sequences 0 and 1)
/// and one cache sequence (2). Disposing stops the loop.
/// </summary>
public sealed class PromptCacheHarness : IDisposable
{
    public const int BatchSize = 16;

    public PromptCacheHarness(int contextSize = 4096)
    {
        Vocabulary = new FakeVocabulary();
        Runtime = new FakeModelRuntime(Vocabulary, contextSize, BatchSize, sequenceCount: 3);
        Loop = new InferenceLoop(
            Runtime, new SchedulerOptions { CacheSequences = 1, PrefillChunkWhileGenerating = 8 }, NullLogger<InferenceLoop>.Instance);
        Template = new FakeChatTemplate();
        Caches = new PromptCacheService(Loop, Runtime, Template, firstSequence: 2, sequenceCount: 1, new PromptCacheStoreOptions());
        Backend = new LocalChatBackend("fake-model", Runtime, Loop, Template) { PromptCaches = Caches };
    }

    public FakeVocabulary Vocabulary { get; }

    public FakeModelRuntime Runtime { get; }

    public InferenceLoop Loop { get; }

    public FakeChatTemplate Template { get; }

    public PromptCacheService Caches { get; }

    public LocalChatBackend Backend { get; }

    public void Dispose()
    {
        Loop.Dispose();
        Runtime.Dispose();
    }
}

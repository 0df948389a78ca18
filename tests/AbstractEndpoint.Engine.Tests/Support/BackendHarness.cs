using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.Engine.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace AbstractEndpoint.Engine.Tests.Support;

/// <summary>A <see cref="LocalChatBackend"/> over the fake runtime and a fake template; disposing stops the loop.</summary>
public sealed class BackendHarness : IDisposable
{
    public BackendHarness(
        int contextSize = 64, int sequenceCount = 1, bool addsBos = true, bool templateWritesBos = false, LocalChatBackendOptions? options = null)
    {
        Vocabulary = new FakeVocabulary { AddsBos = addsBos, BosText = "<s>", EosText = "</s>" };
        Runtime = new FakeModelRuntime(Vocabulary, contextSize, sequenceCount: sequenceCount);
        Loop = new InferenceLoop(Runtime, new SchedulerOptions(), NullLogger<InferenceLoop>.Instance);
        Template = new FakeChatTemplate { WritesBos = templateWritesBos };
        Backend = new LocalChatBackend("fake-model", Runtime, Loop, Template, options);
    }

    public FakeVocabulary Vocabulary { get; }

    public FakeModelRuntime Runtime { get; }

    public InferenceLoop Loop { get; }

    public FakeChatTemplate Template { get; }

    public LocalChatBackend Backend { get; }

    public void Dispose()
    {
        Loop.Dispose();
        Runtime.Dispose();
    }
}

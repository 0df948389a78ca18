using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Tests.Fakes;
using AbstractEndpoint.Engine.Tests.Support;

namespace AbstractEndpoint.Engine.Tests.Sampling;

/// <summary>llama-server's <c>ignore_eos</c>: end-of-generation tokens are banned, so only a limit ends the reply.</summary>
public sealed class IgnoreEosTests : IDisposable
{
    private const int ContextSize = 64;

    private readonly BackendHarness _harness = new(ContextSize);

    public void Dispose() => _harness.Dispose();

    private async Task<(string Text, ChatFinished Finished)> RunAsync(ChatRequest request)
    {
        var prompt = _harness.Backend.CreateJob(request, CancellationToken.None).PromptTokens;
        // The model says "ok" and then wants to end; the runner-up ('_') is what a banned end leaves.
        var ok = FakeVocabulary.BytesOf("ok");
        _harness.Runtime.NextToken = ScriptedModel.Reply(prompt.Count, ok);
        var text = new System.Text.StringBuilder();
        ChatFinished? finished = null;
        await foreach (var update in _harness.Backend.StreamAsync(request, CancellationToken.None))
        {
            switch (update)
            {
                case ContentDelta delta:
                    text.Append(delta.Text);
                    break;
                case ChatFinished end:
                    finished = end;
                    break;
            }
        }

        return (text.ToString(), finished!);
    }

    [Fact]
    public async Task Without_it_the_reply_ends_at_the_end_token()
    {
        var (text, finished) = await RunAsync(FakeChatTemplate.UserRequest("Hi", 10));

        Assert.Equal("ok", text);
        Assert.Equal(FinishReason.Stop, finished.Reason);
    }

    [Fact]
    public async Task With_it_the_reply_runs_to_max_tokens()
    {
        var request = FakeChatTemplate.UserRequest("Hi", 10) with { Limits = new GenerationLimits { MaxOutputTokens = 10, IgnoreEndOfGeneration = true } };

        var (text, finished) = await RunAsync(request);

        Assert.Equal(FinishReason.Length, finished.Reason);
        Assert.Equal(10, finished.Usage.CompletionTokens);
        Assert.Equal("ok________", text);
        Assert.Contains(_harness.Runtime.SamplerRequests, s => s.LogitBias.GetValueOrDefault(FakeVocabulary.Eos) == float.NegativeInfinity);
    }

    [Fact]
    public async Task Without_max_tokens_the_context_bounds_it()
    {
        var request = FakeChatTemplate.UserRequest("Hi") with { Limits = new GenerationLimits { IgnoreEndOfGeneration = true } };

        var (_, finished) = await RunAsync(request);

        Assert.Equal(FinishReason.Length, finished.Reason);
        Assert.True(finished.Usage.PromptTokens + finished.Usage.CompletionTokens <= ContextSize);
        Assert.True(finished.Usage.CompletionTokens > 2);
    }
}

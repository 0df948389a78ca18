using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Tests.Fakes;
using AbstractEndpoint.Engine.Tests.Support;
using ContentDelta = AbstractEndpoint.Core.Generation.ContentDelta;
using ReasoningDelta = AbstractEndpoint.Core.Generation.ReasoningDelta;

namespace AbstractEndpoint.Engine.Tests.Output;

/// <summary>
/// <see cref="GenerationLimits.MaxReasoningTokens"/> on the fake model, whose script reasons past any budget: at the
/// budget the loop writes the closing tag itself, the reasoning ends there and the model's answer follows; a block
/// the model closes in time, or a reply without one, is left alone.
/// </summary>
public sealed class ReasoningBudgetTests : IDisposable
{
    private const string Close = "\n</think>\n\n";

    private readonly BackendHarness _harness = new(contextSize: 512, sequenceCount: 1);

    public void Dispose() => _harness.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(20)]
    public async Task Reasoning_is_closed_at_the_budget_and_the_answer_follows(int budget)
    {
        var request = Ask(budget);
        // Left alone, the model would reason well past the budget (its 'r's run over where the closing tag goes).
        Script(request, "<think>" + new string('r', budget + Close.Length) + "Hello!");

        var (reasoning, content, finished) = await RunAsync(request);

        Assert.Equal(new string('r', budget), reasoning.Trim());
        Assert.Equal("Hello!", content);
        Assert.Equal(FinishReason.Stop, finished.Reason);
        Assert.Equal("<think>".Length + budget + Close.Length + "Hello!".Length, finished.Usage.CompletionTokens);
    }

    [Fact]
    public async Task A_prompt_that_opens_the_block_counts_from_the_first_token()
    {
        _harness.Template.GenerationPromptSuffix = "<think>\n";
        var request = Ask(3);
        Script(request, new string('r', 3 + Close.Length) + "Hi");

        var (reasoning, content, _) = await RunAsync(request);

        Assert.Equal("rrr", reasoning.Trim());
        Assert.Equal("Hi", content);
    }

    [Fact]
    public async Task Reasoning_closed_within_the_budget_and_replies_without_it_are_untouched()
    {
        var request = Ask(10);
        Script(request, "<think>short</think>\n\nHello!");
        var (reasoning, content, finished) = await RunAsync(request);
        Assert.Equal("short", reasoning);
        Assert.Equal("Hello!", content);
        Assert.Equal("<think>short</think>\n\nHello!".Length, finished.Usage.CompletionTokens);

        var plain = Ask(1);
        Script(plain, "No reasoning here at all.");
        (reasoning, content, _) = await RunAsync(plain);
        Assert.Equal("", reasoning);
        Assert.Equal("No reasoning here at all.", content);
    }

    [Fact]
    public async Task Without_a_cap_reasoning_runs_on()
    {
        var request = Ask(null);
        Script(request, "<think>" + new string('r', 30) + "</think>Hi");

        var (reasoning, content, _) = await RunAsync(request);

        Assert.Equal(new string('r', 30), reasoning);
        Assert.Equal("Hi", content);
    }

    private static ChatRequest Ask(int? budget) =>
        FakeChatTemplate.UserRequest("Why is the sky blue?", 200) with
        {
            Limits = new GenerationLimits { MaxOutputTokens = 200, MaxReasoningTokens = budget },
        };

    private void Script(ChatRequest request, string reply)
    {
        var prompt = _harness.Backend.CreateJob(request, CancellationToken.None).PromptTokens.Count;
        _harness.Runtime.NextToken = ScriptedModel.Reply(prompt, FakeVocabulary.BytesOf(reply));
    }

    private async Task<(string Reasoning, string Content, ChatFinished Finished)> RunAsync(ChatRequest request)
    {
        var updates = new List<ChatUpdate>();
        await foreach (var update in _harness.Backend.StreamAsync(request, CancellationToken.None).WithTimeout())
        {
            updates.Add(update);
        }

        return (
            string.Concat(updates.OfType<ReasoningDelta>().Select(r => r.Text)),
            string.Concat(updates.OfType<ContentDelta>().Select(c => c.Text)),
            Assert.IsType<ChatFinished>(updates[^1]));
    }
}

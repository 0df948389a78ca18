using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Tests.Fakes;
using AbstractEndpoint.Engine.Tests.Support;

namespace AbstractEndpoint.Engine.Tests.Sampling;

/// <summary>The backend turns the loop's entries into <see cref="LogprobsDelta"/>s, each just before its text, per choice.</summary>
public sealed class LogprobUpdatesTests : IDisposable
{
    private readonly BackendHarness _harness = new(contextSize: 64, sequenceCount: 2);

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Each_choice_gets_one_entry_per_completion_token_ahead_of_its_text()
    {
        var request = FakeChatTemplate.UserRequest("Hi", 6) with { Choices = 2, Sampling = new SamplingOptions { Temperature = 0, TopLogprobs = 2 } };

        var updates = new List<ChatUpdate>();
        await foreach (var update in _harness.Backend.StreamAsync(request, CancellationToken.None))
        {
            updates.Add(update);
        }

        foreach (var choice in new[] { 0, 1 })
        {
            var mine = updates.OfType<ChoiceUpdate>().Where(u => u.Choice == choice).ToList();
            var entries = mine.OfType<LogprobsDelta>().SelectMany(d => d.Entries).ToList();
            var finished = mine.OfType<ChatFinished>().Single();
            Assert.Equal(finished.Usage.CompletionTokens, entries.Count);
            Assert.Equal(string.Concat(mine.OfType<ContentDelta>().Select(d => d.Text)), string.Concat(entries.Select(e => e.Token)));
            Assert.All(entries, e => Assert.Equal(2, e.TopLogprobs.Count));
            for (var i = 0; i < mine.Count; i++)
            {
                if (mine[i] is LogprobsDelta)
                {
                    Assert.IsType<ContentDelta>(mine[i + 1]);
                }
            }
        }
    }

    [Fact]
    public async Task Without_logprobs_there_are_no_logprob_updates()
    {
        var updates = new List<ChatUpdate>();
        await foreach (var update in _harness.Backend.StreamAsync(FakeChatTemplate.UserRequest("Hi", 4), CancellationToken.None))
        {
            updates.Add(update);
        }

        Assert.Empty(updates.OfType<LogprobsDelta>());
        Assert.NotEmpty(updates.OfType<ContentDelta>());
    }
}

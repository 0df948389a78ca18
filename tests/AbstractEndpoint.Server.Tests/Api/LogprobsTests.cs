using System.Text;
using AbstractEndpoint.Server.Tests.Infrastructure;
using OpenAI.Chat;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary>
/// <c>logprobs</c> + <c>top_logprobs</c> on the real model through the official OpenAI client, plain and streamed:
/// one entry per completion token, alternatives sorted and never positive, the greedy token the most likely one.
/// </summary>
[Collection(StoriesServerCollection.Name)]
public sealed class LogprobsTests(StoriesServerFixture fixture)
{
    private const int Tokens = 24;
    private const int Top = 5;

    private static readonly ChatMessage[] StoryPrompt = [new UserChatMessage("Once upon a time")];

    private ChatCompletionOptions Options()
    {
        var options = new ChatCompletionOptions
        {
            MaxOutputTokenCount = Tokens,
            Temperature = 0,
            IncludeLogProbabilities = true,
            TopLogProbabilityCount = Top,
        };
        foreach (var token in fixture.EndTokens)
        {
            options.LogitBiases[token] = -100;
        }

        return options;
    }

    private static void AssertEntries(IReadOnlyList<ChatTokenLogProbabilityDetails> entries, string text)
    {
        Assert.Equal(text, Encoding.UTF8.GetString([.. entries.SelectMany(e => e.Utf8Bytes!.Value.ToArray())]));
        foreach (var entry in entries)
        {
            Assert.True(entry.LogProbability <= 0, $"{entry.Token}: {entry.LogProbability}");
            Assert.Equal(Top, entry.TopLogProbabilities.Count);
            Assert.All(entry.TopLogProbabilities, t => Assert.True(t.LogProbability <= 0));
            var values = entry.TopLogProbabilities.Select(t => t.LogProbability).ToList();
            Assert.Equal(values.OrderByDescending(v => v), values);

            // At temperature 0 the chosen token is the most likely one, so it heads its own alternatives.
            Assert.Equal(entry.Token, entry.TopLogProbabilities[0].Token);
            Assert.Equal(entry.LogProbability, entry.TopLogProbabilities[0].LogProbability, 5);
        }
    }

    [SkippableFact]
    public async Task A_plain_reply_has_one_entry_per_completion_token()
    {
        var client = fixture.Require().ChatClient(fixture.ModelId);

        ChatCompletion completion = await client.CompleteChatAsync(StoryPrompt, Options());

        Assert.Equal(Tokens, completion.Usage.OutputTokenCount);
        Assert.Equal(Tokens, completion.ContentTokenLogProbabilities.Count);
        AssertEntries(completion.ContentTokenLogProbabilities, completion.Content[0].Text);
    }

    [SkippableFact]
    public async Task A_streamed_reply_carries_the_same_entries_in_its_chunks()
    {
        var client = fixture.Require().ChatClient(fixture.ModelId);
        ChatCompletion plain = await client.CompleteChatAsync(StoryPrompt, Options());

        var entries = new List<ChatTokenLogProbabilityDetails>();
        var text = new StringBuilder();
        var chunksWithEntries = 0;
        await foreach (var update in client.CompleteChatStreamingAsync(StoryPrompt, Options()))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            if (update.ContentTokenLogProbabilities.Count > 0)
            {
                chunksWithEntries++;
                entries.AddRange(update.ContentTokenLogProbabilities);
            }
        }

        Assert.Equal(plain.Content[0].Text, text.ToString());
        Assert.Equal(Tokens, entries.Count);
        Assert.True(chunksWithEntries > 3, $"entries should travel with their chunks, got {chunksWithEntries} chunks with entries");
        AssertEntries(entries, text.ToString());
        Assert.Equal(plain.ContentTokenLogProbabilities.Select(e => e.Token), entries.Select(e => e.Token));
    }
}

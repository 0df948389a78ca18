using System.ClientModel;
using System.Text;
using AbstractEndpoint.Server.Tests.Infrastructure;
using OpenAI.Chat;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary>The official OpenAI .NET client, plain and streaming, against the real server and engine.</summary>
public abstract class OpenAIClientTests<TFixture>(TFixture fixture)
    where TFixture : ServerFixture
{
    private static readonly ChatMessage[] StoryPrompt = [new UserChatMessage("Once upon a time")];

    [SkippableFact]
    public async Task Plain_completion_returns_text_usage_and_finish_reason()
    {
        var client = fixture.Require().ChatClient(fixture.ModelId);

        ChatCompletion completion = await client.CompleteChatAsync(
            StoryPrompt, NoEnd(new ChatCompletionOptions { MaxOutputTokenCount = 24, Temperature = 0 }));

        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.False(string.IsNullOrWhiteSpace(completion.Content[0].Text));
        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(24, completion.Usage.OutputTokenCount);
        Assert.True(completion.Usage.InputTokenCount > 5);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
        Assert.StartsWith("chatcmpl-", completion.Id, StringComparison.Ordinal);
        Assert.Equal(fixture.ModelId, completion.Model);
    }

    [SkippableFact]
    public async Task Streaming_assembles_the_same_text_as_the_plain_reply()
    {
        var client = fixture.Require().ChatClient(fixture.ModelId);
        var options = NoEnd(new ChatCompletionOptions { MaxOutputTokenCount = 40, Temperature = 0 });
        ChatCompletion plain = await client.CompleteChatAsync(StoryPrompt, options);

        var streamed = new StringBuilder();
        ChatFinishReason? finish = null;
        string? id = null;
        var updates = 0;
        await foreach (var update in client.CompleteChatStreamingAsync(StoryPrompt, options))
        {
            updates++;
            id ??= update.CompletionId;
            Assert.Equal(id, update.CompletionId);
            foreach (var part in update.ContentUpdate)
            {
                streamed.Append(part.Text);
            }

            finish = update.FinishReason ?? finish;
        }

        Assert.Equal(plain.Content[0].Text, streamed.ToString());
        Assert.Equal(ChatFinishReason.Length, finish);
        Assert.True(updates > 3, $"expected several chunks, got {updates}");
    }

    [SkippableFact]
    public async Task A_stop_sequence_ends_the_reply_and_never_appears_in_it()
    {
        var client = fixture.Require().ChatClient(fixture.ModelId);
        ChatCompletion free = await client.CompleteChatAsync(
            StoryPrompt, NoEnd(new ChatCompletionOptions { MaxOutputTokenCount = 40, Temperature = 0 }));
        var text = free.Content[0].Text;
        Skip.If(text.Length < 12, "the model's greedy reply is too short to cut");

        // A stop string from the middle of the known greedy reply, spanning several tokens.
        var stop = text.Substring(text.Length / 2, 4);
        var expected = text[..text.IndexOf(stop, StringComparison.Ordinal)];
        var options = NoEnd(new ChatCompletionOptions { MaxOutputTokenCount = 40, Temperature = 0 });
        options.StopSequences.Add(stop);

        ChatCompletion cut = await client.CompleteChatAsync(StoryPrompt, options);
        Assert.Equal(expected, cut.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, cut.FinishReason);

        var streamed = new StringBuilder();
        await foreach (var update in client.CompleteChatStreamingAsync(StoryPrompt, options))
        {
            foreach (var part in update.ContentUpdate)
            {
                streamed.Append(part.Text);
            }
        }

        Assert.Equal(expected, streamed.ToString());
    }

    [SkippableFact]
    public async Task A_seed_makes_sampling_repeatable()
    {
        var client = fixture.Require().ChatClient(fixture.ModelId);
#pragma warning disable OPENAI001 // Seed is marked experimental in the SDK.
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 30, Temperature = 1.0f, Seed = 1234 };
#pragma warning restore OPENAI001

        ChatCompletion first = await client.CompleteChatAsync(StoryPrompt, options);
        ChatCompletion second = await client.CompleteChatAsync(StoryPrompt, options);

        Assert.Equal(first.Content[0].Text, second.Content[0].Text);
    }

    [SkippableFact]
    public async Task Client_errors_surface_as_400_with_the_message()
    {
        // Any model name is served now (the strict flag's refusal is in StrictRequestTests); a bad value still is a 400.
        var client = fixture.Require().ChatClient("some-other-model");

        var error = await Assert.ThrowsAsync<ClientResultException>(
            () => client.CompleteChatAsync(StoryPrompt, new ChatCompletionOptions { Temperature = 7 }));

        Assert.Equal(400, error.Status);
        Assert.Contains("temperature", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Bans the end-of-generation tokens so a reply has exactly the requested length.</summary>
    private ChatCompletionOptions NoEnd(ChatCompletionOptions options)
    {
        foreach (var token in fixture.EndTokens)
        {
            options.LogitBiases[token] = -100;
        }

        return options;
    }
}

[Collection(SyntheticServerCollection.Name)]
public sealed class OpenAIClientTestsOnSyntheticModel(SyntheticServerFixture fixture)
    : OpenAIClientTests<SyntheticServerFixture>(fixture);

[Collection(StoriesServerCollection.Name)]
public sealed class OpenAIClientTestsOnStories260K(StoriesServerFixture fixture)
    : OpenAIClientTests<StoriesServerFixture>(fixture);

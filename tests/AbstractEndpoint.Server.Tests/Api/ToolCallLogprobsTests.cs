using System.Text;
using AbstractEndpoint.Server.Tests.Infrastructure;
using OpenAI.Chat;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary>
/// Log probabilities of a forced tool call: the entries are those of the tokens that formed the call text, taken
/// under the grammar's mask, so at temperature 0 each chosen token heads its alternatives even though the story
/// model, unconstrained, would never write that markup.
/// </summary>
[Collection(HermesStoriesServerCollection.Name)]
public sealed class ToolCallLogprobsTests(HermesStoriesServerFixture fixture)
{
    private static readonly ChatMessage[] Question = [new UserChatMessage("What is the weather in Paris this week?")];

    [SkippableFact]
    public async Task A_forced_call_has_one_entry_per_token_of_its_call_text()
    {
        var client = fixture.Require().ChatClient(fixture.ModelId);
        var options = new ChatCompletionOptions
        {
            ToolChoice = ChatToolChoice.CreateFunctionChoice("get_weather"),
            Temperature = 0,
            MaxOutputTokenCount = 300,
            IncludeLogProbabilities = true,
            TopLogProbabilityCount = 3,
        };
        foreach (var tool in ToolCallTests.Tools)
        {
            options.Tools.Add(tool);
        }

        ChatCompletion completion = await client.CompleteChatAsync(Question, options);

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        var entries = completion.ContentTokenLogProbabilities;
        Assert.Equal(completion.Usage.OutputTokenCount, entries.Count);
        var callText = Encoding.UTF8.GetString([.. entries.SelectMany(e => e.Utf8Bytes!.Value.ToArray())]);
        Assert.Contains("<tool_call>", callText, StringComparison.Ordinal);
        Assert.Contains("\"get_weather\"", callText, StringComparison.Ordinal);
        foreach (var entry in entries)
        {
            Assert.InRange(entry.LogProbability, -100f, 0f); // finite: a masked token is never the chosen one
            Assert.NotEmpty(entry.TopLogProbabilities);
            Assert.Equal(entry.Token, entry.TopLogProbabilities[0].Token);
        }
    }
}

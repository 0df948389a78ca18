using AbstractEndpoint.Server.Tests.Infrastructure;
using OpenAI.Chat;
using Xunit.Abstractions;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary>
/// stories260K has no chat template, so the server uses ChatML and the generic JSON call format
/// (<c>{"tool_calls":[{"name":…,"arguments":…}]}</c>): forced calls are still valid for the schema.
/// </summary>
[Collection(StoriesServerCollection.Name)]
public sealed class GenericToolCallTests(StoriesServerFixture fixture, ITestOutputHelper output)
{
    private static readonly ChatMessage[] Question = [new UserChatMessage("What is the weather in Paris?")];

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Named_tool_choice_returns_a_valid_call_in_the_generic_format(bool stream)
    {
        var client = fixture.Require().ChatClient(fixture.ModelId);
        var options = new ChatCompletionOptions
        {
            ToolChoice = ChatToolChoice.CreateFunctionChoice("get_weather"),
            Temperature = 0,
            MaxOutputTokenCount = 300,
        };
        foreach (var tool in ToolCallTests.Tools)
        {
            options.Tools.Add(tool);
        }

        var (name, arguments, finish, tokens) = stream ? await StreamAsync(client, options) : await CompleteAsync(client, options);

        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.Equal("get_weather", name);
        SchemaAssert.Valid(ToolCallTests.WeatherSchema, arguments);
        output.WriteLine($"generic call in {tokens} tokens: {arguments}");
    }

    private static async Task<(string Name, string Arguments, ChatFinishReason? Finish, int? Tokens)> CompleteAsync(ChatClient client, ChatCompletionOptions options)
    {
        ChatCompletion completion = await client.CompleteChatAsync(Question, options);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Empty(completion.Content);
        return (call.FunctionName, call.FunctionArguments.ToString(), completion.FinishReason, completion.Usage.OutputTokenCount);
    }

    private static async Task<(string Name, string Arguments, ChatFinishReason? Finish, int? Tokens)> StreamAsync(ChatClient client, ChatCompletionOptions options)
    {
        string? name = null;
        var arguments = "";
        ChatFinishReason? finish = null;
        int? tokens = null;
        await foreach (var update in client.CompleteChatStreamingAsync(Question, options))
        {
            tokens = update.Usage?.OutputTokenCount ?? tokens;
            Assert.Empty(update.ContentUpdate);
            foreach (var call in update.ToolCallUpdates)
            {
                Assert.Equal(0, call.Index);
                name ??= call.FunctionName;
                arguments += call.FunctionArgumentsUpdate?.ToString();
            }

            finish = update.FinishReason ?? finish;
        }

        return (name!, arguments, finish, tokens);
    }
}

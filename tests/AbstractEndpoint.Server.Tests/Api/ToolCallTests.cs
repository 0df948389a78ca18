using System.Text;
using System.Text.Json;
using AbstractEndpoint.Server.Tests.Infrastructure;
using OpenAI.Chat;
using Xunit.Abstractions;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary>
/// Tool calls end to end on stories260K with a Hermes template: a model that has never seen a tool still returns
/// a call whose arguments parse and satisfy the function's schema when <c>tool_choice</c> forces one, plain and
/// streamed, assembled by the official OpenAI client; markup never reaches the content.
/// </summary>
[Collection(HermesStoriesServerCollection.Name)]
public sealed class ToolCallTests(HermesStoriesServerFixture fixture, ITestOutputHelper output)
{
    /// <summary>Every string and number is bounded, so the grammar itself guarantees the call ends.</summary>
    public const string WeatherSchema = """
        {"type":"object","properties":{"city":{"type":"string","minLength":1,"maxLength":12},
         "days":{"type":"integer","minimum":1,"maximum":7},"unit":{"enum":["celsius","fahrenheit"]}},
         "required":["city","days"],"additionalProperties":false}
        """;

    private const int MaxTokens = 300;

    private static readonly ChatMessage[] Question = [new UserChatMessage("What is the weather in Paris this week?")];

    public static ChatTool[] Tools =>
    [
        ChatTool.CreateFunctionTool("get_weather", "Weather forecast for a city", BinaryData.FromString(WeatherSchema)),
        ChatTool.CreateFunctionTool("get_time", "The current time", BinaryData.FromString("""{"type":"object","properties":{}}""")),
    ];

    [SkippableFact]
    public async Task Named_tool_choice_returns_a_call_valid_for_the_schema()
    {
        var client = fixture.Require().ChatClient(fixture.ModelId);

        ChatCompletion completion = await client.CompleteChatAsync(Question, Options(ChatToolChoice.CreateFunctionChoice("get_weather")));

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        Assert.Empty(completion.Content);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Matches("^call_[A-Za-z0-9]{24}$", call.Id);
        SchemaAssert.Valid(WeatherSchema, call.FunctionArguments.ToString());
        Assert.True(completion.Usage.OutputTokenCount < MaxTokens);
        output.WriteLine($"forced call in {completion.Usage.OutputTokenCount} tokens: {call.FunctionArguments}");
    }

    [SkippableFact]
    public async Task A_streamed_call_is_assembled_by_the_OpenAI_client()
    {
        var client = fixture.Require().ChatClient(fixture.ModelId);
        var options = Options(ChatToolChoice.CreateFunctionChoice("get_weather"));
        ChatCompletion plain = await client.CompleteChatAsync(Question, options);

        var ids = new Dictionary<int, string>();
        var names = new Dictionary<int, string>();
        var arguments = new Dictionary<int, StringBuilder>();
        var content = new StringBuilder();
        ChatFinishReason? finish = null;
        var toolUpdates = 0;
        await foreach (var update in client.CompleteChatStreamingAsync(Question, options))
        {
            foreach (var part in update.ContentUpdate)
            {
                content.Append(part.Text);
            }

            foreach (var call in update.ToolCallUpdates)
            {
                toolUpdates++;
                if (call.ToolCallId is { } id)
                {
                    Assert.False(ids.ContainsKey(call.Index), "a call's id comes once, in its first delta");
                    ids[call.Index] = id;
                    names[call.Index] = call.FunctionName;
                }

                Assert.True(ids.ContainsKey(call.Index), "a call's first delta carries its id");
                (arguments.TryGetValue(call.Index, out var builder) ? builder : arguments[call.Index] = new StringBuilder())
                    .Append(call.FunctionArgumentsUpdate?.ToString());
            }

            finish = update.FinishReason ?? finish;
        }

        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.Equal("", content.ToString());
        Assert.Equal([0], ids.Keys);
        Assert.Matches("^call_[A-Za-z0-9]{24}$", ids[0]);
        Assert.Equal("get_weather", names[0]);
        Assert.True(toolUpdates > 3, $"the arguments should stream in pieces, got {toolUpdates} updates");
        var streamed = arguments[0].ToString();
        SchemaAssert.Valid(WeatherSchema, streamed);
        Assert.Equal(plain.ToolCalls[0].FunctionArguments.ToString(), streamed); // greedy: the same call both ways
    }

    [SkippableTheory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Required_calls_are_valid_whatever_the_sampling(int seed)
    {
        var server = fixture.Require();
        var body = $$"""
            {"model":"{{fixture.ModelId}}","messages":[{"role":"user","content":"Weather or time?"}],
             "tools":{{ToolsJson}},"tool_choice":"required","parallel_tool_calls":false,
             "temperature":0.9,"seed":{{seed}},"max_tokens":{{MaxTokens}}}
            """;

        using var reply = await PostAsync(server, body);
        var choice = reply.RootElement.GetProperty("choices")[0];

        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        var message = choice.GetProperty("message");
        Assert.Equal(JsonValueKind.Null, message.GetProperty("content").ValueKind);
        var call = Assert.Single(message.GetProperty("tool_calls").EnumerateArray().ToList());
        Assert.Equal("function", call.GetProperty("type").GetString());
        var name = call.GetProperty("function").GetProperty("name").GetString();
        var arguments = call.GetProperty("function").GetProperty("arguments").GetString()!;
        SchemaAssert.Valid(name == "get_weather" ? WeatherSchema : """{"type":"object","properties":{}}""", arguments);
        output.WriteLine($"seed {seed}: {name}({arguments}) in {reply.RootElement.GetProperty("usage").GetProperty("completion_tokens")} tokens");
    }

    [SkippableFact]
    public async Task Raw_stream_chunks_have_OpenAI_tool_call_shapes_and_no_content()
    {
        var server = fixture.Require();
        var body = $$$"""
            {"model":"{{{fixture.ModelId}}}","messages":[{"role":"user","content":"Weather?"}],"stream":true,
             "tools":{{{ToolsJson}}},"tool_choice":{"type":"function","function":{"name":"get_weather"}},
             "temperature":0,"max_tokens":{{{MaxTokens}}}}
            """;

        var events = await SseClient.PostStreamAsync(server, body);

        var deltas = events[..^1].Select(e => JsonDocument.Parse(e).RootElement.GetProperty("choices")[0]).ToList();
        Assert.All(deltas, d => Assert.False(d.GetProperty("delta").TryGetProperty("content", out _), "no content while calling"));
        var calls = deltas.Where(d => d.GetProperty("delta").TryGetProperty("tool_calls", out _))
            .Select(d => d.GetProperty("delta").GetProperty("tool_calls")[0]).ToList();
        var first = calls[0];
        Assert.Equal(0, first.GetProperty("index").GetInt32());
        Assert.StartsWith("call_", first.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("function", first.GetProperty("type").GetString());
        Assert.Equal("get_weather", first.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("", first.GetProperty("function").GetProperty("arguments").GetString());
        Assert.All(calls.Skip(1), c =>
        {
            Assert.Equal(0, c.GetProperty("index").GetInt32());
            Assert.False(c.TryGetProperty("id", out _));
            Assert.False(c.GetProperty("function").TryGetProperty("name", out _));
        });
        SchemaAssert.Valid(WeatherSchema, string.Concat(calls.Select(c => c.GetProperty("function").GetProperty("arguments").GetString())));
        Assert.Equal("tool_calls", deltas[^1].GetProperty("finish_reason").GetString());
    }

    [SkippableFact]
    public async Task Auto_leaves_a_model_that_does_not_call_to_write_text()
    {
        var client = fixture.Require().ChatClient(fixture.ModelId);

        ChatCompletion completion = await client.CompleteChatAsync(Question, Options(ChatToolChoice.CreateAutoChoice(), maxTokens: 40));

        Assert.Empty(completion.ToolCalls);
        Assert.NotEqual(ChatFinishReason.ToolCalls, completion.FinishReason);
        var text = Assert.Single(completion.Content).Text;
        Assert.DoesNotContain("<tool_call>", text, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Tool_choice_none_returns_no_calls()
    {
        var client = fixture.Require().ChatClient(fixture.ModelId);

        ChatCompletion completion = await client.CompleteChatAsync(Question, Options(ChatToolChoice.CreateNoneChoice(), maxTokens: 30));

        Assert.Empty(completion.ToolCalls);
        Assert.NotEqual(ChatFinishReason.ToolCalls, completion.FinishReason);
    }

    [SkippableFact]
    public async Task A_call_and_its_result_in_the_history_lead_to_a_new_turn()
    {
        var client = fixture.Require().ChatClient(fixture.ModelId);
        var first = await client.CompleteChatAsync(Question, Options(ChatToolChoice.CreateFunctionChoice("get_weather")));
        var call = first.Value.ToolCalls[0];
        ChatMessage[] history = [.. Question, new AssistantChatMessage([call]), new ToolChatMessage(call.Id, "Sunny, 21 degrees.")];

        ChatCompletion second = await client.CompleteChatAsync(history, Options(ChatToolChoice.CreateFunctionChoice("get_time")));

        Assert.Equal("get_time", Assert.Single(second.ToolCalls).FunctionName);
        Assert.NotEqual(call.Id, second.ToolCalls[0].Id);
    }

    internal static string ToolsJson => """
        [{"type":"function","function":{"name":"get_weather","parameters":
        """ + WeatherSchema + """
        }},{"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{}}}}]
        """;

    private static ChatCompletionOptions Options(ChatToolChoice choice, int maxTokens = MaxTokens)
    {
        var options = new ChatCompletionOptions { ToolChoice = choice, Temperature = 0, MaxOutputTokenCount = maxTokens };
        foreach (var tool in Tools)
        {
            options.Tools.Add(tool);
        }

        return options;
    }

    private static async Task<JsonDocument> PostAsync(RunningServer server, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await server.Http.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text);
    }
}

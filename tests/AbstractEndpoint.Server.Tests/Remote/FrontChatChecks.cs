using System.Net;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Server.Tests.Api;
using AbstractEndpoint.Server.Tests.Infrastructure;
using OpenAI.Chat;

namespace AbstractEndpoint.Server.Tests.Remote;

/// <summary>
/// The client checks every remote provider must pass through a front server, whatever API the front speaks
/// upstream: plain and streamed chat through the official OpenAI client, a forced tool call, a stop sequence, and a
/// client that leaves mid-stream.
/// </summary>
internal static class FrontChatChecks
{
    private static readonly ChatMessage[] Story = [new UserChatMessage("Once upon a time")];

    /// <summary>The JSON schema both providers' structured-output tests ask for.</summary>
    public const string PersonSchema = """{"type":"object","properties":{"name":{"type":"string","maxLength":10},"age":{"type":"integer","minimum":0,"maximum":99}},"required":["name","age"],"additionalProperties":false}""";

    /// <summary>Greedy options asking for <see cref="PersonSchema"/>, strictly.</summary>
    public static ChatCompletionOptions PersonSchemaOptions() => new()
    {
        Temperature = 0,
        MaxOutputTokenCount = 200,
        ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("person", BinaryData.FromString(PersonSchema), jsonSchemaIsStrict: true),
    };

    private static ChatCompletionOptions Greedy(int maxTokens = 40) => new() { Temperature = 0, MaxOutputTokenCount = maxTokens };

    /// <summary>The front's reply equals the upstream's own to its OpenAI clients, model id aside.</summary>
    public static async Task PlainChatEqualsTheUpstreamsAsync(RunningServer front, string frontModel, RunningServer upstream, string upstreamModel)
    {
        ChatCompletion direct = await upstream.ChatClient(upstreamModel).CompleteChatAsync(Story, Greedy());
        ChatCompletion viaFront = await front.ChatClient(frontModel).CompleteChatAsync(Story, Greedy());

        Assert.NotEmpty(direct.Content[0].Text);
        Assert.Equal(direct.Content[0].Text, viaFront.Content[0].Text);
        Assert.Equal(direct.FinishReason, viaFront.FinishReason);
        Assert.Equal(frontModel, viaFront.Model);
        Assert.Equal(direct.Usage.InputTokenCount, viaFront.Usage.InputTokenCount);
        Assert.Equal(direct.Usage.OutputTokenCount, viaFront.Usage.OutputTokenCount);
    }

    public static async Task StreamedChatArrivesInPiecesAsync(RunningServer front, string frontModel)
    {
        var client = front.ChatClient(frontModel);
        ChatCompletion plain = await client.CompleteChatAsync(Story, Greedy());

        var text = new StringBuilder();
        var pieces = 0;
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in client.CompleteChatStreamingAsync(Story, Greedy()))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
                pieces++;
            }

            finish = update.FinishReason ?? finish;
            usage = update.Usage ?? usage;
        }

        Assert.True(pieces > 5, $"the reply should stream in pieces, got {pieces}");
        Assert.Equal(plain.Content[0].Text, text.ToString());
        Assert.Equal(plain.FinishReason, finish);
        Assert.NotNull(usage);
        Assert.Equal(plain.Usage.OutputTokenCount, usage.OutputTokenCount);
    }

    public static async Task ForcedToolCallStreamsThroughAsync(RunningServer front, string frontModel)
    {
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 300, ToolChoice = ChatToolChoice.CreateFunctionChoice("get_weather") };
        foreach (var tool in ToolCallTests.Tools)
        {
            options.Tools.Add(tool);
        }

        var ids = new Dictionary<int, string>();
        var arguments = new Dictionary<int, StringBuilder>();
        ChatFinishReason? finish = null;
        await foreach (var update in front.ChatClient(frontModel).CompleteChatStreamingAsync(
            [new UserChatMessage("What is the weather in Paris this week?")], options))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                if (call.ToolCallId is { } id)
                {
                    ids[call.Index] = id;
                    Assert.Equal("get_weather", call.FunctionName);
                }

                (arguments.TryGetValue(call.Index, out var b) ? b : arguments[call.Index] = new StringBuilder()).Append(call.FunctionArgumentsUpdate?.ToString());
            }

            finish = update.FinishReason ?? finish;
        }

        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.Equal([0], ids.Keys);
        SchemaAssert.Valid(ToolCallTests.WeatherSchema, arguments[0].ToString());
    }

    public static async Task StopSequenceEndsTheReplyAsync(RunningServer front, string frontModel)
    {
        var client = front.ChatClient(frontModel);
        var full = (await client.CompleteChatAsync(Story, Greedy())).Value.Content[0].Text;
        Assert.True(full.Length > 20, full);
        var stop = full.Substring(12, 4);

        var options = Greedy();
        options.StopSequences.Add(stop);
        ChatCompletion stopped = await client.CompleteChatAsync(Story, options);

        Assert.Equal(full[..full.IndexOf(stop, StringComparison.Ordinal)], stopped.Content.Count == 0 ? "" : stopped.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, stopped.FinishReason);
    }

    /// <summary>
    /// A client that leaves mid-stream ends the upstream's work too: <paramref name="body"/> asks the front's
    /// <paramref name="route"/> for a long stream (<paramref name="maxTokens"/>, end of text banned); once a line holding
    /// <paramref name="outputMarker"/> (generated text, not just the role chunk sent before a slot takes the job) has
    /// come, the client goes away, and the upstream's slot must turn idle long before the tokens asked for.
    /// </summary>
    public static async Task ClientDisconnectFreesTheUpstreamSlotAsync(
        RunningServer front, RunningServer upstream, string route, string body, int maxTokens, string outputMarker)
    {
        var before = await GeneratedTotalAsync(upstream);

        using (var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = new StringContent(body, Encoding.UTF8, "application/json") })
        using (var response = await front.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            while (await reader.ReadLineAsync() is { } line && !line.Contains(outputMarker, StringComparison.Ordinal))
            {
            }

            Assert.Contains(await SlotStatesAsync(upstream), s => s != "idle");
        }

        // The client is gone: the front cancels its upstream request, and the upstream frees the slot.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while ((await SlotStatesAsync(upstream)).Any(s => s != "idle"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the upstream slot was not freed");
            await Task.Delay(20);
        }

        Assert.True(await GeneratedTotalAsync(upstream) - before < maxTokens, "the upstream should have stopped early");
    }

    private static async Task<List<string>> SlotStatesAsync(RunningServer server)
    {
        using var slots = JsonDocument.Parse(await server.Http.GetStringAsync(new Uri("slots", UriKind.Relative)));
        return [.. slots.RootElement.EnumerateArray().Select(s => s.GetProperty("state").GetString()!)];
    }

    private static async Task<long> GeneratedTotalAsync(RunningServer server)
    {
        using var status = JsonDocument.Parse(await server.Http.GetStringAsync(new Uri("status", UriKind.Relative)));
        return status.RootElement.GetProperty("generated_tokens_total").GetInt64();
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Server.Tests.Infrastructure;
using Anthropic;
using Anthropic.Models.Messages;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary>
/// The official Anthropic .NET SDK against <c>/v1/messages</c> on the real server: plain and streamed replies, a
/// forced tool use that parses (the grammar's doing: the tiny model knows no tools), the tool_result round trip,
/// count_tokens, and errors in Anthropic's envelope.
/// </summary>
[Collection(HermesStoriesServerCollection.Name)]
public sealed class AnthropicClientTests(HermesStoriesServerFixture fixture)
{
    private const string WeatherTool = $$"""
        {"name":"get_weather","description":"Weather forecast for a city","input_schema":{{ToolCallTests.WeatherSchema}}}
        """;

    private AnthropicClient Client()
    {
        var server = fixture.Require();
        return new AnthropicClient { BaseUrl = server.BaseAddress.ToString().TrimEnd('/'), ApiKey = "sk-ant-local", MaxRetries = 0, Timeout = TimeSpan.FromMinutes(5) };
    }

    /// <summary>A body as the wire has it; the SDK sends it and parses the reply.</summary>
    private static MessageCreateParams Params(string json)
    {
        using var document = JsonDocument.Parse(json);
        var body = document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
        return MessageCreateParams.FromRawUnchecked(
            new Dictionary<string, JsonElement>(), new Dictionary<string, JsonElement>(), body);
    }

    private string Story(int maxTokens) =>
        $$"""{"model":"{{fixture.ModelId}}","max_tokens":{{maxTokens}},"temperature":0,"messages":[{"role":"user","content":"Once upon a time"}]}""";

    [SkippableFact]
    public async Task Plain_message_has_text_stop_reason_and_usage()
    {
        var message = await Client().Messages.Create(Params(Story(16)));

        Assert.StartsWith("msg_", message.ID, StringComparison.Ordinal);
        Assert.True(message.Content[0].TryPickText(out var text));
        Assert.False(string.IsNullOrEmpty(text!.Text));
        Assert.Contains(message.StopReason!.Raw().ToString(), new[] { "max_tokens", "end_turn" });
        Assert.True(message.Usage.OutputTokens is > 0 and <= 16);
        Assert.True(message.Usage.InputTokens + (message.Usage.CacheReadInputTokens ?? 0) > 3);
    }

    [SkippableFact]
    public async Task Streamed_message_assembles_the_same_text_as_the_plain_one()
    {
        var client = Client();
        var plain = await client.Messages.Create(Params(Story(24)));
        Assert.True(plain.Content[0].TryPickText(out var plainText));

        var streamed = new StringBuilder();
        var kinds = new List<string>();
        string? stopReason = null;
        await foreach (var update in client.Messages.CreateStreaming(Params(Story(24))))
        {
            if (update.TryPickStart(out _))
            {
                kinds.Add("start");
            }
            else if (update.TryPickContentBlockDelta(out var delta) && delta!.Delta.TryPickText(out var textDelta))
            {
                streamed.Append(textDelta!.Text);
            }
            else if (update.TryPickDelta(out var messageDelta))
            {
                stopReason = messageDelta!.Delta.StopReason!.Raw().ToString();
            }
            else if (update.TryPickStop(out _))
            {
                kinds.Add("stop");
            }
        }

        Assert.Equal(["start", "stop"], kinds);
        Assert.Equal(plainText!.Text, streamed.ToString());
        Assert.Equal(plain.StopReason!.Raw().ToString(), stopReason);
    }

    [SkippableFact]
    public async Task Forced_tool_use_parses_and_its_result_round_trips()
    {
        var client = Client();
        var question = """{"role":"user","content":"What is the weather in Paris this week?"}""";
        var message = await client.Messages.Create(Params($$$"""
            {"model":"{{{fixture.ModelId}}}","max_tokens":300,"temperature":0,"messages":[{{{question}}}],
             "tools":[{{{WeatherTool}}}],"tool_choice":{"type":"tool","name":"get_weather"}}
            """));

        Assert.Equal("tool_use", message.StopReason!.Raw().ToString());
        var use = message.Content.Select(b => b.TryPickToolUse(out var u) ? u : null).Single(u => u is not null)!;
        Assert.Equal("get_weather", use.Name);
        Assert.False(string.IsNullOrEmpty(use.ID));
        Assert.True(use.Input["city"].GetString() is { Length: > 0 });
        Assert.InRange(use.Input["days"].GetInt32(), 1, 7);

        var input = JsonSerializer.Serialize(use.Input);
        var followUp = await client.Messages.Create(Params($$"""
            {"model":"{{fixture.ModelId}}","max_tokens":8,"temperature":0,"tools":[{{WeatherTool}}],"messages":[{{question}},
              {"role":"assistant","content":[{"type":"tool_use","id":"{{use.ID}}","name":"get_weather","input":{{input}}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"{{use.ID}}","content":"Sunny, 21 C"}]}]}
            """));

        Assert.NotEqual("tool_use", followUp.StopReason!.Raw().ToString());
        Assert.True(followUp.Usage.InputTokens + (followUp.Usage.CacheReadInputTokens ?? 0) > message.Usage.InputTokens);
    }

    [SkippableFact]
    public async Task Streamed_forced_tool_use_assembles_input_json_that_parses()
    {
        // Each block's pieces are its own input (one call here: parallel use is off, so the grammar closes it).
        var inputs = new Dictionary<long, StringBuilder>();
        var names = new Dictionary<long, string>();
        await foreach (var update in Client().Messages.CreateStreaming(Params($$$"""
            {"model":"{{{fixture.ModelId}}}","max_tokens":300,"temperature":0,
             "messages":[{"role":"user","content":"Weather?"}],"tools":[{{{WeatherTool}}}],"tool_choice":{"type":"any","disable_parallel_tool_use":true}}
            """)))
        {
            if (update.TryPickContentBlockStart(out var start) && start!.ContentBlock.TryPickToolUse(out var use))
            {
                names[start.Index] = use!.Name;
                inputs[start.Index] = new StringBuilder();
            }
            else if (update.TryPickContentBlockDelta(out var delta) && delta!.Delta.TryPickInputJson(out var part))
            {
                inputs[delta.Index].Append(part!.PartialJson);
            }
        }

        Assert.NotEmpty(names);
        Assert.All(names.Values, name => Assert.Equal("get_weather", name));
        foreach (var json in inputs.Values)
        {
            using var input = JsonDocument.Parse(json.ToString());
            Assert.InRange(input.RootElement.GetProperty("days").GetInt32(), 1, 7);
        }
    }

    [SkippableFact]
    public async Task Count_tokens_matches_the_prompt_a_reply_reports()
    {
        var server = fixture.Require();
        var message = await Client().Messages.Create(Params(Story(1)));
        using var response = await server.Http.PostAsync(
            "/v1/messages/count_tokens",
            new StringContent($$"""{"model":"{{fixture.ModelId}}","messages":[{"role":"user","content":"Once upon a time"}]}""", Encoding.UTF8, "application/json"));

        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(message.Usage.InputTokens + (message.Usage.CacheReadInputTokens ?? 0), body.RootElement.GetProperty("input_tokens").GetInt64());
    }

    [SkippableFact]
    public async Task Errors_use_anthropics_envelope_and_the_sdk_raises_them()
    {
        var server = fixture.Require();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", "sk-ant-local");
        request.Headers.Add("anthropic-version", "2023-06-01");
        using var response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("error", body.RootElement.GetProperty("type").GetString());
        Assert.Equal("invalid_request_error", body.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("max_tokens", body.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        await Assert.ThrowsAnyAsync<Exception>(() => Client().Messages.Create(Params(
            $$"""{"model":"{{fixture.ModelId}}","max_tokens":5,"messages":[{"role":"system","content":"hi"}]}""")));
    }
}

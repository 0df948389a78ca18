#pragma warning disable OPENAI001 // The SDK marks its Responses client experimental.

using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Server.Tests.Infrastructure;
using OpenAI.Responses;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary>
/// The official OpenAI .NET SDK's Responses client against <c>/v1/responses</c> on the real server: plain and
/// streamed replies, a forced function call that parses (the grammar's doing: the tiny model knows no tools) and its
/// output round trip, a <c>previous_response_id</c> continuation that reuses the first turn's KV cells, and the
/// stored-response routes with their 404s in OpenAI's shape.
/// </summary>
[Collection(HermesStoriesServerCollection.Name)]
public sealed class ResponsesClientTests(HermesStoriesServerFixture fixture)
{
    private ResponsesClient Client()
    {
        var server = fixture.Require();
        return new ResponsesClient(
            new ApiKeyCredential("unused"),
            new ResponsesClientOptions { Endpoint = new Uri(server.BaseAddress, "v1"), NetworkTimeout = TimeSpan.FromMinutes(5) });
    }

    private CreateResponseOptions Story(int maxTokens, string text = "Once upon a time") =>
        new(fixture.ModelId, [ResponseItem.CreateUserMessageItem(text)]) { MaxOutputTokenCount = maxTokens, Temperature = 0 };

    private static CreateResponseOptions Streamed(CreateResponseOptions options)
    {
        options.StreamingEnabled = true;
        return options;
    }

    private static CreateResponseOptions WithTool(CreateResponseOptions options)
    {
        options.Tools.Add(ResponseTool.CreateFunctionTool(
            "get_weather", BinaryData.FromString(ToolCallTests.WeatherSchema), strictModeEnabled: null, "Weather forecast for a city"));
        return options;
    }

    [SkippableFact]
    public async Task Plain_response_has_a_message_usage_and_status()
    {
        ResponseResult response = await Client().CreateResponseAsync(Story(16));

        Assert.StartsWith("resp_", response.Id, StringComparison.Ordinal);
        Assert.Equal(fixture.ModelId, response.Model);
        var message = Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(response.OutputItems));
        Assert.StartsWith("msg_", message.Id, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(response.GetOutputText()));
        Assert.InRange(response.Usage.OutputTokenCount, 1, 16);
        Assert.True(response.Usage.InputTokenCount > 3);
        Assert.Equal(response.Usage.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);
        if (response.Usage.OutputTokenCount == 16)
        {
            Assert.Equal(ResponseStatus.Incomplete, response.Status);
            Assert.Equal(ResponseIncompleteStatusReason.MaxOutputTokens, response.IncompleteStatusDetails.Reason);
        }
        else
        {
            Assert.Equal(ResponseStatus.Completed, response.Status);
        }
    }

    [SkippableFact]
    public async Task Streamed_response_assembles_the_same_text_in_numbered_events()
    {
        var client = Client();
        ResponseResult plain = await client.CreateResponseAsync(Story(24));

        var streamed = new StringBuilder();
        var kinds = new List<Type>();
        var sequence = -1;
        ResponseResult? final = null;
        await foreach (var update in await client.CreateResponseStreamingAsync(Streamed(Story(24))))
        {
            Assert.Equal(sequence + 1, update.SequenceNumber);
            sequence = update.SequenceNumber;
            kinds.Add(update.GetType());
            switch (update)
            {
                case StreamingResponseOutputTextDeltaUpdate delta:
                    Assert.Equal(0, delta.OutputIndex);
                    streamed.Append(delta.Delta);
                    break;
                case StreamingResponseCompletedUpdate completed:
                    final = completed.Response;
                    break;
                case StreamingResponseIncompleteUpdate incomplete:
                    final = incomplete.Response;
                    break;
            }
        }

        Assert.Equal(typeof(StreamingResponseCreatedUpdate), kinds[0]);
        Assert.Equal(typeof(StreamingResponseInProgressUpdate), kinds[1]);
        Assert.Contains(typeof(StreamingResponseOutputItemAddedUpdate), kinds);
        Assert.Contains(typeof(StreamingResponseContentPartDoneUpdate), kinds);
        Assert.Contains(typeof(StreamingResponseOutputItemDoneUpdate), kinds);
        Assert.Equal(plain.GetOutputText(), streamed.ToString());
        Assert.NotNull(final);
        Assert.Equal(plain.Status, final.Status);
        Assert.Equal(plain.GetOutputText(), final.GetOutputText());
        Assert.Equal(plain.Usage.OutputTokenCount, final.Usage.OutputTokenCount);
    }

    [SkippableFact]
    public async Task Forced_function_call_parses_and_its_output_round_trips()
    {
        var client = Client();
        var options = WithTool(Story(300, "What is the weather in Paris this week?"));
        options.ToolChoice = ResponseToolChoice.CreateFunctionChoice("get_weather");
        ResponseResult response = await client.CreateResponseAsync(options);

        var call = Assert.IsAssignableFrom<FunctionCallResponseItem>(Assert.Single(response.OutputItems, i => i is FunctionCallResponseItem));
        Assert.Equal("get_weather", call.FunctionName);
        Assert.StartsWith("fc_", call.Id, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(call.CallId));
        using (var arguments = JsonDocument.Parse(call.FunctionArguments))
        {
            Assert.True(arguments.RootElement.GetProperty("city").GetString() is { Length: > 0 });
            Assert.InRange(arguments.RootElement.GetProperty("days").GetInt32(), 1, 7);
        }

        // The call's result sent back as items: the turn the model made, then the output for its call id.
        ResponseItem[] history =
        [
            ResponseItem.CreateUserMessageItem("What is the weather in Paris this week?"),
            ResponseItem.CreateFunctionCallItem(call.CallId, call.FunctionName, call.FunctionArguments),
            ResponseItem.CreateFunctionCallOutputItem(call.CallId, "Sunny, 21 C"),
        ];
        var followUp = WithTool(new CreateResponseOptions(fixture.ModelId, history) { MaxOutputTokenCount = 8, Temperature = 0 });
        ResponseResult answer = await client.CreateResponseAsync(followUp);

        Assert.DoesNotContain(answer.OutputItems, i => i is FunctionCallResponseItem);
        Assert.True(answer.Usage.InputTokenCount > response.Usage.InputTokenCount);
    }

    [SkippableFact]
    public async Task Streamed_forced_call_assembles_arguments_that_parse()
    {
        var options = WithTool(Story(300, "Weather?"));
        options.ToolChoice = ResponseToolChoice.CreateRequiredChoice();
        options.ParallelToolCallsEnabled = false;
        var arguments = new Dictionary<string, StringBuilder>();
        var done = new List<FunctionCallResponseItem>();
        await foreach (var update in await Client().CreateResponseStreamingAsync(Streamed(options)))
        {
            switch (update)
            {
                case StreamingResponseFunctionCallArgumentsDeltaUpdate delta:
                    (arguments.TryGetValue(delta.ItemId, out var text) ? text : arguments[delta.ItemId] = new StringBuilder()).Append(delta.Delta);
                    break;
                case StreamingResponseOutputItemDoneUpdate { Item: FunctionCallResponseItem call }:
                    done.Add(call);
                    break;
            }
        }

        var item = Assert.Single(done);
        Assert.Equal("get_weather", item.FunctionName);
        Assert.Equal(item.FunctionArguments.ToString(), arguments[item.Id].ToString());
        using var parsed = JsonDocument.Parse(arguments[item.Id].ToString());
        Assert.InRange(parsed.RootElement.GetProperty("days").GetInt32(), 1, 7);
    }

    [SkippableFact]
    public async Task Previous_response_id_continues_the_stored_conversation_from_cached_cells()
    {
        var client = Client();
        ResponseResult first = await client.CreateResponseAsync(Story(12));
        var second = Story(12, "And then?");
        second.PreviousResponseId = first.Id;
        ResponseResult next = await client.CreateResponseAsync(second);

        Assert.Equal(first.Id, next.PreviousResponseId);

        // The first turn and its reply are replayed before the new input, and their KV cells were reused.
        Assert.True(next.Usage.InputTokenCount > first.Usage.InputTokenCount + first.Usage.OutputTokenCount / 2);
        Assert.True(next.Usage.InputTokenDetails.CachedTokenCount > first.Usage.InputTokenCount / 2,
            $"cached {next.Usage.InputTokenDetails.CachedTokenCount} of {next.Usage.InputTokenCount}");

        // The count route sees the same continuation.
        var count = await fixture.Require().Http.PostAsync("v1/responses/input_tokens", Json($$"""
            {"model":"{{fixture.ModelId}}","previous_response_id":"{{first.Id}}","input":"And then?"}
            """));
        using var counted = JsonDocument.Parse(await count.Content.ReadAsStringAsync());
        Assert.Equal(next.Usage.InputTokenCount, counted.RootElement.GetProperty("input_tokens").GetInt32());
        Assert.Equal("response.input_tokens", counted.RootElement.GetProperty("object").GetString());
    }

    [SkippableFact]
    public async Task Stored_response_is_retrieved_listed_and_deleted_then_404()
    {
        var client = Client();
        ResponseResult created = await client.CreateResponseAsync(Story(8));

        ResponseResult fetched = await client.GetResponseAsync(created.Id);
        Assert.Equal(created.GetOutputText(), fetched.GetOutputText());
        Assert.Equal(created.Usage.TotalTokenCount, fetched.Usage.TotalTokenCount);

        var items = new List<ResponseItem>();
        await foreach (var item in client.GetResponseInputItemsAsync(created.Id))
        {
            items.Add(item);
        }

        var input = Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(items));
        Assert.Equal("Once upon a time", input.Content[0].Text);

        ResponseDeletionResult deleted = await client.DeleteResponseAsync(created.Id);
        Assert.True(deleted.Deleted);
        Assert.Equal(created.Id, deleted.ResponseId);

        var gone = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(created.Id));
        Assert.Equal(404, gone.Status);
        var continued = Story(8, "More");
        continued.PreviousResponseId = created.Id;
        var orphan = await Assert.ThrowsAsync<ClientResultException>(() => client.CreateResponseAsync(continued));
        Assert.Equal(404, orphan.Status);

        var raw = await fixture.Require().Http.GetAsync($"v1/responses/{created.Id}");
        Assert.Equal(HttpStatusCode.NotFound, raw.StatusCode);
        using var error = JsonDocument.Parse(await raw.Content.ReadAsStringAsync());
        Assert.Equal("invalid_request_error", error.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains(created.Id, error.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Store_false_keeps_nothing()
    {
        var options = Story(4);
        options.StoredOutputEnabled = false;
        ResponseResult response = await Client().CreateResponseAsync(options);

        var raw = await fixture.Require().Http.GetAsync($"v1/responses/{response.Id}");
        Assert.Equal(HttpStatusCode.NotFound, raw.StatusCode);
    }

    [SkippableFact]
    public async Task Structured_output_follows_the_schema_and_bad_fields_are_400s()
    {
        var http = fixture.Require().Http;
        var reply = await http.PostAsync("v1/responses", Json($$$"""
            {"model":"{{{fixture.ModelId}}}","input":"Name a city.","max_output_tokens":200,"temperature":0,
             "tools":[{"type":"web_search_preview"}],
             "text":{"format":{"type":"json_schema","name":"city","strict":true,
               "schema":{"type":"object","properties":{"name":{"type":"string","maxLength":10}},"required":["name"],"additionalProperties":false} } } }
            """));
        var body = await reply.Content.ReadAsStringAsync();
        Assert.True(reply.IsSuccessStatusCode, body);
        using (var response = JsonDocument.Parse(body))
        {
            var text = response.RootElement.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString()!;
            using var city = JsonDocument.Parse(text);
            Assert.True(city.RootElement.GetProperty("name").GetString()!.Length <= 10);
            Assert.Equal("json_schema", response.RootElement.GetProperty("text").GetProperty("format").GetProperty("type").GetString());
        }

        var bad = await http.PostAsync("v1/responses", Json($$"""{"model":"{{fixture.ModelId}}","input":"x","tools":[{"type":"custom","name":"c"}]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var error = JsonDocument.Parse(await bad.Content.ReadAsStringAsync());
        Assert.Equal("tools[0].type", error.RootElement.GetProperty("error").GetProperty("param").GetString());
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}

using System.Net;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary>The exact shape of the SSE stream, read as raw bytes.</summary>
public abstract class StreamingTests<TFixture>(TFixture fixture)
    where TFixture : ServerFixture
{
    [SkippableFact]
    public async Task Stream_is_role_then_content_then_finish_then_usage_then_done()
    {
        var server = fixture.Require();
        var events = await SseClient.PostStreamAsync(server,
            "{\"model\":\"" + fixture.ModelId + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}],\"max_tokens\":8,\"temperature\":0,\"stream\":true,\"stream_options\":{\"include_usage\":true}," + fixture.NoEndBiasJson + "}");

        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        var id = chunks[0].GetProperty("id").GetString();
        var created = chunks[0].GetProperty("created").GetInt64();
        Assert.StartsWith("chatcmpl-", id, StringComparison.Ordinal);
        Assert.All(chunks, c =>
        {
            Assert.Equal(id, c.GetProperty("id").GetString());
            Assert.Equal(created, c.GetProperty("created").GetInt64());
            Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString());
            Assert.Equal(fixture.ModelId, c.GetProperty("model").GetString());
        });

        var first = chunks[0].GetProperty("choices")[0];
        Assert.Equal("assistant", first.GetProperty("delta").GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("finish_reason").ValueKind);

        var finish = chunks[^2].GetProperty("choices")[0];
        Assert.Equal("length", finish.GetProperty("finish_reason").GetString());
        Assert.Empty(finish.GetProperty("delta").EnumerateObject());

        var usageChunk = chunks[^1];
        Assert.Equal(0, usageChunk.GetProperty("choices").GetArrayLength());
        var usage = usageChunk.GetProperty("usage");
        Assert.Equal(8, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(
            usage.GetProperty("prompt_tokens").GetInt32() + 8,
            usage.GetProperty("total_tokens").GetInt32());

        var middle = chunks[1..^2];
        Assert.NotEmpty(middle);
        Assert.All(middle, c =>
        {
            var choice = c.GetProperty("choices")[0];
            Assert.Equal(JsonValueKind.Null, choice.GetProperty("finish_reason").ValueKind);
            Assert.False(string.IsNullOrEmpty(choice.GetProperty("delta").GetProperty("content").GetString()));
        });
        Assert.False(usageChunk.TryGetProperty("error", out _));
    }

    [SkippableFact]
    public async Task Without_include_usage_there_is_no_usage_chunk()
    {
        var server = fixture.Require();
        var events = await SseClient.PostStreamAsync(server,
            "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":3,\"stream\":true," + fixture.NoEndBiasJson + "}");

        Assert.Equal("[DONE]", events[^1]);
        Assert.All(events[..^1], e => Assert.False(JsonDocument.Parse(e).RootElement.TryGetProperty("usage", out _)));
        Assert.Equal("length", JsonDocument.Parse(events[^2]).RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [SkippableFact]
    public async Task A_client_that_asks_to_close_the_connection_is_told_so_and_its_next_stream_works()
    {
        var server = fixture.Require();
        var body = "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":2,\"stream\":true," + fixture.NoEndBiasJson + "}";
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        for (var i = 0; i < 3; i++)
        {
            // A client honours the reply's Connection header: told "keep-alive", it would reuse a connection the
            // server closes after the stream, and the next request would fail before any response.
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("v1/chat/completions", UriKind.Relative))
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.ConnectionClose = true;
            using var response = await http.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.ConnectionClose);
            Assert.EndsWith("data: [DONE]\n\n", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public async Task Errors_before_the_stream_starts_are_plain_json_errors()
    {
        var server = fixture.Require();
        using var content = new StringContent(
            "{\"model\":\"\",\"messages\":[],\"stream\":true}", Encoding.UTF8, "application/json");

        using var response = await server.Http.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }
}

[Collection(SyntheticServerCollection.Name)]
public sealed class StreamingTestsOnSyntheticModel(SyntheticServerFixture fixture)
    : StreamingTests<SyntheticServerFixture>(fixture);

[Collection(StoriesServerCollection.Name)]
public sealed class StreamingTestsOnStories260K(StoriesServerFixture fixture)
    : StreamingTests<StoriesServerFixture>(fixture);

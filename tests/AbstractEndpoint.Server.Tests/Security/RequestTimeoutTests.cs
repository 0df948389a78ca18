using System.Net;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Host.Hosting;
using AbstractEndpoint.Host.Observability;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AbstractEndpoint.Server.Tests.Security;

/// <summary>
/// <c>--timeout</c> on a real server. The limit is generous (a loaded machine must still admit a request within it);
/// the stream is held after admission by <see cref="StalledChatBackend"/>, so the order of events is fixed.
/// </summary>
public sealed class RequestTimeoutTests : IAsyncLifetime
{
    // Well inside Kestrel's 5 s grace for a slow body, so the late-body test meets our 504 and never Kestrel's 408.
    private const double TimeoutSeconds = 2;
    private RunningServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await RunningServer.StartAsync(new EndpointOptions
        {
            Model = TestModels.Synthetic,
            Parallel = 2,
            ContextSize = 1024,
            Threads = 2,
            TimeoutSeconds = TimeoutSeconds,
        });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_timeout_ends_a_started_stream_with_an_error_event_and_frees_the_slot()
    {
        Stall();

        var events = await SseClient.PostStreamAsync(_server, Chat(stream: true));

        Assert.Equal("[DONE]", events[^1]);
        var error = JsonDocument.Parse(events[^2]).RootElement.GetProperty("error");
        Assert.Equal("timeout", error.GetProperty("code").GetString());
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Contains("--timeout", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        await AssertSlotsFreeAsync();
    }

    [Fact]
    public async Task A_timeout_before_the_reply_started_is_a_504_in_the_routes_shape()
    {
        Stall();

        using var openAi = await PostAsync("v1/chat/completions", Chat(stream: false));
        Assert.Equal(HttpStatusCode.GatewayTimeout, openAi.StatusCode);
        Assert.Equal("timeout", JsonDocument.Parse(await openAi.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString());

        using var anthropic = await PostAsync("v1/messages", "{\"model\":\"m\",\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        Assert.Equal(HttpStatusCode.GatewayTimeout, anthropic.StatusCode);
        Assert.Equal("error", JsonDocument.Parse(await anthropic.Content.ReadAsStringAsync()).RootElement.GetProperty("type").GetString());
        await AssertSlotsFreeAsync();
    }

    [Fact]
    public async Task A_stalled_text_completion_is_a_504_or_an_error_event_once_streaming()
    {
        StallCompletions();

        using var whole = await PostAsync("v1/completions", "{\"model\":\"m\",\"max_tokens\":4,\"prompt\":\"hi\"}");
        Assert.Equal(HttpStatusCode.GatewayTimeout, whole.StatusCode);
        Assert.Equal("timeout", JsonDocument.Parse(await whole.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString());
        await AssertSlotsFreeAsync();

        var events = await SseClient.PostStreamAsync(_server, "{\"model\":\"m\",\"max_tokens\":4,\"stream\":true,\"prompt\":\"hi\"}", "v1/completions");
        Assert.Equal("[DONE]", events[^1]);
        Assert.Equal("timeout", JsonDocument.Parse(events[^2]).RootElement.GetProperty("error").GetProperty("code").GetString());
        await AssertSlotsFreeAsync();
    }

    [Fact]
    public async Task Embeddings_past_the_timeout_are_a_504()
    {
        var state = _server.Services.GetRequiredService<ModelState>();
        var model = state.Model!;
        state.SetReady(model with { Embeddings = new StalledEmbeddingBackend(((TimedEmbeddingBackend)model.Embeddings!).Inner) });

        using var response = await PostAsync("v1/embeddings", "{\"model\":\"m\",\"input\":\"hi\"}");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("timeout", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_timeout_counts_from_the_first_byte_so_a_body_that_arrives_late_is_a_504()
    {
        // The test waits longer than the timeout between the body's two halves, so the server's clock has run out too.
        using var content = new SlowContent(Encoding.UTF8.GetBytes(Chat(stream: false)), TimeSpan.FromSeconds(TimeoutSeconds + 1));
        using var response = await _server.Http.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
    }

    private static string Chat(bool stream) =>
        "{\"model\":\"m\",\"max_tokens\":4,\"stream\":" + (stream ? "true" : "false") + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    /// <summary>Publishes the real backend again behind a hold after admission (the server wraps it with its limits again).</summary>
    private void Stall()
    {
        var state = _server.Services.GetRequiredService<ModelState>();
        var model = state.Model!;
        state.SetReady(model with { Chat = new StalledChatBackend(((ObservedChatBackend)model.Chat).Inner) });
    }

    /// <summary>Publishes the real text-completion backend again behind a hold after admission.</summary>
    private void StallCompletions()
    {
        var state = _server.Services.GetRequiredService<ModelState>();
        var model = state.Model!;
        state.SetReady(model with { Completions = new StalledTextCompletionBackend(((ObservedTextCompletionBackend)model.Completions!).Inner) });
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string body) =>
        await _server.Http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

    private async Task AssertSlotsFreeAsync()
    {
        // The cancelled job leaves its slot at the loop's next step.
        for (var attempt = 0; attempt < 400; attempt++)
        {
            var slots = JsonDocument.Parse(await _server.Http.GetStringAsync(new Uri("slots", UriKind.Relative))).RootElement;
            if (slots.EnumerateArray().All(s => s.GetProperty("state").GetString() == "idle"))
            {
                return;
            }

            await Task.Delay(25);
        }

        Assert.Fail("a slot stayed busy after the timeout");
    }

    /// <summary>A body sent in two halves with a pause between them.</summary>
    private sealed class SlowContent(byte[] body, TimeSpan pause) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(body.AsMemory(0, body.Length / 2));
            await stream.FlushAsync();
            await Task.Delay(pause);
            await stream.WriteAsync(body.AsMemory(body.Length / 2));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return true;
        }
    }
}

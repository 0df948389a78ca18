using System.Net;
using System.Net.Http.Json;
using System.Text;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Lifecycle;

/// <summary>A client that goes away frees its slot at once, streaming or not.</summary>
public sealed class DisconnectTests
{
    private const string LongRequest =
        "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}],\"max_tokens\":1900,\"temperature\":1,\"logit_bias\":{\"2\":-100,\"260\":-100}";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_disconnected_client_frees_its_slot(bool stream)
    {
        await using var server = await RunningServer.StartAsync(new EndpointOptions
        {
            Model = TestModels.Synthetic,
            Parallel = 1,
            ContextSize = 2048,
            Threads = 1,
        });

        using (var cts = new CancellationTokenSource())
        {
            using var content = new StringContent(LongRequest + (stream ? ",\"stream\":true}" : "}"), Encoding.UTF8, "application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = content };
            var sending = server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            await WaitForSlotStateAsync(server, busy: true);
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                using var response = await sending;
                await using var body = await response.Content.ReadAsStreamAsync(cts.Token);
                await body.CopyToAsync(Stream.Null, cts.Token);
            });
        }

        await WaitForSlotStateAsync(server, busy: false);

        // With one slot, a new request can only run if the old one really let go.
        using var next = new StringContent(
            "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":3}", Encoding.UTF8, "application/json");
        using var nextResponse = await server.Http.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), next);
        Assert.Equal(HttpStatusCode.OK, nextResponse.StatusCode);
    }

    private static async Task WaitForSlotStateAsync(RunningServer server, bool busy)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var slots = await server.Http.GetFromJsonAsync<List<SlotView>>(new Uri("slots", UriKind.Relative));
            if (slots!.Any(s => s.State != "idle") == busy)
            {
                return;
            }

            await Task.Delay(10);
        }

        Assert.Fail($"the slot did not become {(busy ? "busy" : "idle")} within 10 s");
    }

    private sealed record SlotView([property: System.Text.Json.Serialization.JsonPropertyName("state")] string State);
}

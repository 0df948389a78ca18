using System.Net;
using System.Text;

namespace AbstractEndpoint.Server.Tests.Infrastructure;

/// <summary>Reads a chat (or text) completion stream as raw server-sent events.</summary>
public static class SseClient
{
    /// <summary>Posts a streaming request and returns the payload of every <c>data:</c> event, checking the framing.</summary>
    public static async Task<List<string>> PostStreamAsync(RunningServer server, string body, string path = "v1/chat/completions")
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await server.Http.PostAsync(new Uri(path, UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());

        var raw = await response.Content.ReadAsStringAsync();
        Assert.EndsWith("data: [DONE]\n\n", raw, StringComparison.Ordinal);
        var events = raw.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(events, e => Assert.StartsWith("data: ", e, StringComparison.Ordinal));
        return [.. events.Select(e => e["data: ".Length..])];
    }
}

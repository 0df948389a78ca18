using System.Net;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Remote;

/// <summary>
/// Anthropic's Messages API has no text completions and no embeddings: on <c>--provider anthropic</c>,
/// <c>/v1/completions</c> and <c>/v1/embeddings</c> answer a clear 400 in OpenAI's envelope, without contacting the upstream.
/// </summary>
public sealed class RemoteRawRoutesTests
{
    [Theory]
    [InlineData("v1/completions", """{"model":"m","prompt":"Hi"}""")]
    [InlineData("v1/embeddings", """{"model":"m","input":"Hi"}""")]
    public async Task Raw_completions_and_embeddings_are_a_400_on_an_anthropic_provider(string route, string body)
    {
        await using var front = await RunningServer.StartAsync(
            new EndpointOptions { Provider = "anthropic", Model = "upstream-model", BaseUrl = "http://127.0.0.1:9/v1" }, waitUntilReady: false);

        // The provider is set up in the background; until then every route is a 503.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await front.Http.PostAsync(new Uri(route, UriKind.Relative), content);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
            {
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                var details = error.RootElement.GetProperty("error");
                Assert.Equal("invalid_request_error", details.GetProperty("type").GetString());
                Assert.Equal("unsupported_endpoint", details.GetProperty("code").GetString());
                Assert.Contains("Anthropic's Messages API", details.GetProperty("message").GetString(), StringComparison.Ordinal);
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "the front never became ready");
            await Task.Delay(50);
        }
    }
}

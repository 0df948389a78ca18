using System.Text;
using AbstractEndpoint.Protocol.OpenAI.Upstream;

namespace AbstractEndpoint.Protocol.Tests.OpenAI.Upstream;

public sealed class UpstreamErrorReaderTests
{
    [Theory]
    [InlineData(401, """{"error":{"message":"bad key","type":"invalid_request_error","code":"invalid_api_key"}}""", "upstream_unauthorized", "bad key")]
    [InlineData(404, """{"error":{"message":"no such model","type":"invalid_request_error","code":"model_not_found"}}""", "model_not_found", "no such model")]
    [InlineData(422, """{"detail":"field required"}""", "upstream_error", "field required")]
    [InlineData(502, "<html>Bad Gateway</html>", "upstream_error", "<html>Bad Gateway</html>")]
    [InlineData(500, """{"error":"plain text"}""", "upstream_error", "plain text")]
    public void Every_error_shape_keeps_the_status_and_a_readable_reason(int status, string body, string code, string reason)
    {
        var error = UpstreamErrorReader.FromResponse(status, Encoding.UTF8.GetBytes(body), "the upstream");

        Assert.Equal(status, error.StatusCode);
        Assert.Equal(code, error.Code);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        if (status == 401)
        {
            Assert.Equal("authentication_error", error.Type); // never the upstream's own word for it
        }
    }
}

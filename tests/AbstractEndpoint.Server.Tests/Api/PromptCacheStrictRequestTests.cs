using System.Net;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary>
/// The control plane under <c>--strict-requests</c>: an unknown top-level field is a 400 naming it, as on chat; known
/// fields still work; bytes that are not Unicode text are a 400 naming the position in either mode.
/// </summary>
public sealed class PromptCacheStrictRequestTests(StrictServerFixture fixture) : IClassFixture<StrictServerFixture>
{
    [Theory]
    [InlineData("set", """{"key":"k","colour":"blue"}""")]
    [InlineData("update", """{"key":"k","prompt":"p","colour":"blue"}""")]
    [InlineData("fork", """{"from_key":"a","to_key":"b","colour":"blue"}""")]
    [InlineData("clear", """{"colour":"blue"}""")]
    [InlineData("prepare_modules", """{"namespace":"n","modules":[{"module_id":"a","prompt":"x"}],"colour":"blue"}""")]
    public async Task An_unknown_field_is_a_400_naming_it(string route, string body)
    {
        var (status, reply) = await PostAsync(route, Encoding.UTF8.GetBytes(body));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = reply.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("colour", error.GetProperty("param").GetString());
        Assert.Equal("unknown_parameter", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Known_fields_still_work()
    {
        var (set, setReply) = await PostAsync("set", """{"key":"strict-known","make_default":false,"ttl_s":60}"""u8.ToArray());
        var (update, updateReply) = await PostAsync("update", """{"key":"strict-known","prompt":"Once","add_generation_prompt":false}"""u8.ToArray());
        var (clear, clearReply) = await PostAsync("clear", """{"key":"strict-known"}"""u8.ToArray());

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (set, update, clear));
        Assert.True(setReply.GetProperty("ok").GetBoolean());
        Assert.True(updateReply.GetProperty("ok").GetBoolean());
        Assert.True(clearReply.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Invalid_utf8_is_a_400_naming_the_position_and_the_field()
    {
        byte[] body = [.. """{"key":"k","prompt":"a"""u8, 0xFF, 0xFE, .. "\"}"u8];

        var (status, reply) = await PostAsync("update", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = reply.GetProperty("error");
        Assert.Equal("invalid_json", error.GetProperty("code").GetString());
        Assert.Equal("prompt", error.GetProperty("param").GetString());
        Assert.Contains("line 1, byte 21 (offset 20)", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lone_surrogate_is_a_400_naming_the_position()
    {
        var (status, reply) = await PostAsync("set", Encoding.UTF8.GetBytes("""{"key":"\ud800"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_json", reply.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("line 1, byte 8 (offset 7)", reply.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string route, byte[] body) =>
        ChatCompatibilityTests.PostAsync(fixture.Server, "acore/prompt_cache/" + route, body);
}

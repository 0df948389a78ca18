using System.Net;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary><c>--strict-requests --strict-model-name</c> restore the refusals the server gave before it was lenient.</summary>
public sealed class StrictRequestTests(StrictServerFixture fixture) : IClassFixture<StrictServerFixture>
{
    public static TheoryData<string, string, string> Cases => new()
    {
        // Moved from BadRequestTests when lenient became the default; same bodies, same assertions.
        { "unknown field", "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"frobnicate\":true}", "frobnicate" },
        { "wrong model", "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "model" },
        { "model anything", "{\"model\":\"anything\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "model" },
        { "store", "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"store\":true}", "store" },
        { "service tier", "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"service_tier\":\"flex\"}", "service_tier" },
        { "audio", "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"modalities\":[\"audio\"]}", "modalities" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Strict_flags_refuse_with_a_400_naming_the_field(string name, string body, string param)
    {
        var (status, reply) = await ChatCompatibilityTests.PostAsync(fixture.Server, "v1/chat/completions", Encoding.UTF8.GetBytes(body));

        Assert.True(status == HttpStatusCode.BadRequest, $"{name}: got {(int)status}");
        Assert.Equal("invalid_request_error", reply.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(param, reply.GetProperty("error").GetProperty("param").GetString());
        await ChatCompatibilityTests.AssertStillServingAsync(fixture.Server);
    }

    [Fact]
    public async Task The_OpenAI_client_sees_a_wrong_model_as_a_400_with_the_message()
    {
        // Moved from OpenAIClientTests when any model name became servable by default.
        var client = fixture.Server.ChatClient("some-other-model");

        var error = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(
            () => client.CompleteChatAsync([new OpenAI.Chat.UserChatMessage("Once upon a time")]));

        Assert.Equal(400, error.Status);
        Assert.Contains("some-other-model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_template_is_strict_too()
    {
        var (status, reply) = await ChatCompatibilityTests.PostAsync(fixture.Server, "apply-template",
            Encoding.UTF8.GetBytes("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"frobnicate\":1}"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("frobnicate", reply.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task The_served_id_and_its_provider_prefixed_form_still_pass()
    {
        foreach (var model in new[] { StrictServerFixture.ModelId, "openai/" + StrictServerFixture.ModelId, "" })
        {
            var (status, reply) = await ChatCompatibilityTests.PostAsync(fixture.Server, "v1/chat/completions", Encoding.UTF8.GetBytes(
                $"{{\"model\":\"{model}\",\"messages\":[{{\"role\":\"user\",\"content\":\"hi\"}}],\"max_tokens\":2}}"));

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(StrictServerFixture.ModelId, reply.GetProperty("model").GetString());
        }
    }

    [Theory]
    [InlineData("anything", HttpStatusCode.NotFound)]
    [InlineData("openai/gpt-4o", HttpStatusCode.NotFound)]
    [InlineData(StrictServerFixture.ModelId, HttpStatusCode.OK)]
    [InlineData("lmstudio/" + StrictServerFixture.ModelId, HttpStatusCode.OK)]
    public async Task Models_by_id_knows_only_the_served_names(string id, HttpStatusCode expected)
    {
        using var response = await fixture.Server.Http.GetAsync(new Uri("v1/models/" + id, UriKind.Relative));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.NotFound)
        {
            var error = body.RootElement.GetProperty("error");
            Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
            Assert.Equal("model_not_found", error.GetProperty("code").GetString());
            Assert.Equal("model", error.GetProperty("param").GetString());
        }
        else
        {
            Assert.Equal(StrictServerFixture.ModelId, body.RootElement.GetProperty("id").GetString());
        }
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Server.Tests.Infrastructure;
using AbstractEndpoint.TestSupport;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary>
/// What clients written for other servers send works by default (unknown fields, any model name, reasoning
/// switches); bytes that are not JSON text are 400s naming the position, never 500s.
/// </summary>
[Collection(SyntheticServerCollection.Name)]
public sealed class ChatCompatibilityTests(SyntheticServerFixture fixture)
{
    private const string UserHi = """[{"role":"user","content":"hi"}]""";

    [SkippableFact]
    public async Task Unknown_fields_and_unavailable_features_are_accepted()
    {
        var server = fixture.Require();

        var (status, reply) = await PostAsync(server, "v1/chat/completions", Encoding.UTF8.GetBytes($$"""
            {"model":"","messages":{{UserHi}},"max_tokens":2,"frobnicate":{"x":1},"service_tier":"flex","store":true,
             "modalities":["text","audio"],"cache_prompt_please":true,"reasoning_effort":"low","thinking":"High"}
            """));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("chat.completion", reply.GetProperty("object").GetString());
    }

    [SkippableFact]
    public async Task Any_model_name_is_answered_by_the_served_model()
    {
        var server = fixture.Require();

        var (status, reply) = await PostAsync(server, "v1/chat/completions", Encoding.UTF8.GetBytes($$"""
            {"model":"anything","messages":{{UserHi}},"max_tokens":2}
            """));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(fixture.ModelId, reply.GetProperty("model").GetString());
    }

    [SkippableFact]
    public async Task Models_by_id_returns_the_served_entry_for_any_id()
    {
        var server = fixture.Require();

        foreach (var id in new[] { "anything", "openai/gpt-4o", fixture.ModelId })
        {
            using var response = await server.Http.GetAsync(new Uri("v1/models/" + id, UriKind.Relative));
            using var entry = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(fixture.ModelId, entry.RootElement.GetProperty("id").GetString());
            Assert.Equal("model", entry.RootElement.GetProperty("object").GetString());
        }
    }

    [SkippableTheory]
    [InlineData("v1/chat/completions")]
    [InlineData("apply-template")]
    public async Task Invalid_utf8_is_a_400_naming_the_position(string route)
    {
        var server = fixture.Require();
        byte[] body = [.. """{"model":"","messages":[{"role":"user","content":"a"""u8, 0xFF, 0xFE, .. "\"}]}"u8];

        var (status, reply) = await PostAsync(server, route, body);

        AssertInvalidJson(status, reply, "line 1, byte 50 (offset 49)");
        await AssertStillServingAsync(server);
    }

    [SkippableTheory]
    [InlineData(@"\ud800")]
    [InlineData(@"\udfff")]
    [InlineData(@"\ud800\u0041")]
    public async Task A_lone_surrogate_is_a_400_naming_the_position(string escape)
    {
        var server = fixture.Require();

        var (status, reply) = await PostAsync(server, "v1/chat/completions", Encoding.UTF8.GetBytes($$"""
            {"model":"","messages":[{"role":"user","content":"{{escape}}"}]}
            """));

        AssertInvalidJson(status, reply, "line 1, byte 50 (offset 49)");
        await AssertStillServingAsync(server);
    }

    [SkippableTheory]
    [InlineData("\"thinking\":\"bogus\"", "thinking")]
    [InlineData("\"thinking\":3", "thinking")]
    [InlineData("\"reasoning_effort\":\"extreme\"", "reasoning_effort")]
    [InlineData("\"temperature\":\"hot\"", "temperature")]
    public async Task Known_fields_with_bad_values_stay_400s(string field, string param)
    {
        var server = fixture.Require();

        var (status, reply) = await PostAsync(server, "v1/chat/completions", Encoding.UTF8.GetBytes($$"""
            {"model":"","messages":{{UserHi}},{{field}}}
            """));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(param, reply.GetProperty("error").GetProperty("param").GetString());
    }

    [SkippableTheory]
    [InlineData("\"reasoning_effort\":\"none\"", false)]
    [InlineData("\"thinking\":false", false)]
    [InlineData("\"thinking\":\"OFF\"", false)]
    [InlineData("\"reasoning_effort\":\"high\"", true)]
    [InlineData("\"thinking\":true", true)]
    [InlineData("\"thinking\":\"low\"", true)]
    [InlineData("\"thinking\":false,\"chat_template_kwargs\":{\"enable_thinking\":true}", true)] // the kwargs win
    public async Task Reasoning_controls_reach_the_template(string field, bool thinks)
    {
        var template = SharedAssets.File("templates", "Qwen-Qwen3-0.6B.jinja");
        Skip.If(template is null, SharedAssets.MissingReason);
        await using var server = await RunningServer.StartAsync(new EndpointOptions
        {
            Model = TestModels.Synthetic,
            ChatTemplateFile = template,
            Parallel = 1,
            ContextSize = 512,
            Threads = 1,
        });

        var (status, reply) = await PostAsync(server, "apply-template", Encoding.UTF8.GetBytes($$"""
            {"messages":{{UserHi}},{{field}}}
            """));

        Assert.Equal(HttpStatusCode.OK, status);
        var prompt = reply.GetProperty("prompt").GetString()!;
        // Qwen3 closes an empty think block when enable_thinking is false, and leaves the turn open otherwise.
        Assert.EndsWith("<|im_start|>assistant\n", thinks ? prompt : prompt.Replace("<think>\n\n</think>\n\n", "", StringComparison.Ordinal));
        Assert.Equal(!thinks, prompt.EndsWith("<think>\n\n</think>\n\n", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Assistant_reasoning_content_reaches_the_template()
    {
        var template = SharedAssets.File("templates", "Qwen-Qwen3-0.6B.jinja");
        Skip.If(template is null, SharedAssets.MissingReason);
        await using var server = await RunningServer.StartAsync(new EndpointOptions
        {
            Model = TestModels.Synthetic,
            ChatTemplateFile = template,
            Parallel = 1,
            ContextSize = 512,
            Threads = 1,
        });

        // Qwen3 replays the reasoning of turns after the last user query.
        var (status, reply) = await PostAsync(server, "apply-template", Encoding.UTF8.GetBytes("""
            {"messages":[{"role":"user","content":"2+2?"},{"role":"assistant","content":"4","reasoning_content":"two and two"}]}
            """));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<think>\ntwo and two\n</think>\n\n4", reply.GetProperty("prompt").GetString(), StringComparison.Ordinal);
    }

    internal static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(RunningServer server, string route, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await server.Http.PostAsync(new Uri(route, UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return (response.StatusCode, document.RootElement.Clone());
    }

    internal static async Task AssertStillServingAsync(RunningServer server)
    {
        var (status, _) = await PostAsync(server, "v1/chat/completions", Encoding.UTF8.GetBytes($$"""
            {"model":"","messages":{{UserHi}},"max_tokens":2}
            """));
        Assert.Equal(HttpStatusCode.OK, status);
    }

    private static void AssertInvalidJson(HttpStatusCode status, JsonElement reply, string position)
    {
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = reply.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("invalid_json", error.GetProperty("code").GetString());
        Assert.Contains(position, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}

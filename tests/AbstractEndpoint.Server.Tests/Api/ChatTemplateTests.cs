using System.Net;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Gguf;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary>Prompts are rendered by the model's own Jinja template (or an override), and template failures are clean.</summary>
public sealed class ChatTemplateTests
{
    private const string Conversation =
        "{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hi ✓\"}]}";

    [Fact]
    public async Task The_model_template_renders_the_prompt_shown_by_apply_template()
    {
        await using var server = await RunningServer.StartAsync(new EndpointOptions { Model = TestModels.Synthetic, Threads = 1 });

        var prompt = await ApplyTemplateAsync(server, Conversation);

        Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi ✓<|im_end|>\n<|im_start|>assistant\n", prompt);
    }

    [Fact]
    public async Task Template_kwargs_and_tools_reach_the_template()
    {
        const string template =
            "{% for m in messages %}[{{ m.role }}:{{ m.content }}]{% endfor %}" +
            "{% if tools %}{{ tools | map(attribute='function') | map(attribute='name') | join(',') }}{% endif %}" +
            "|thinking={{ enable_thinking | default('unset') }}|{{ bos_token }}";
        await using var server = await RunningServer.StartAsync(
            new EndpointOptions { Model = TestModels.Synthetic, Threads = 1, ChatTemplate = template });

        var prompt = await ApplyTemplateAsync(server,
            "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"chat_template_kwargs\":{\"enable_thinking\":false}," +
            "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}}]}");

        Assert.Equal("[user:x]get_weather|thinking=False|<s>", prompt);
    }

    [Fact]
    public async Task Assistant_tool_call_arguments_reach_the_template_as_objects()
    {
        const string template = "{% for m in messages %}{% for c in m.tool_calls %}{{ c.function.arguments.city }}{% endfor %}{% endfor %}";
        await using var server = await RunningServer.StartAsync(
            new EndpointOptions { Model = TestModels.Synthetic, Threads = 1, ChatTemplate = template });

        var prompt = await ApplyTemplateAsync(server,
            "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[" +
            "{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"w\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]}]}");

        Assert.Equal("Paris", prompt);
    }

    [Fact]
    public async Task A_template_that_raises_gives_a_400_with_its_message()
    {
        const string template = "{% if messages[0].role != 'user' %}{{ raise_exception('Conversation must start with a user turn') }}{% endif %}ok";
        await using var server = await RunningServer.StartAsync(
            new EndpointOptions { Model = TestModels.Synthetic, Threads = 1, ChatTemplate = template });

        using var response = await PostChatAsync(server, Conversation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("Conversation must start with a user turn", error.GetProperty("message").GetString());
        Assert.Equal("chat_template_error", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_hostile_template_is_stopped_by_the_limits_and_the_server_keeps_serving()
    {
        // 10^10 iterations: far beyond the render limit (Jinja's own sandbox caps a single range at 100,000).
        const string template = "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}";
        await using var server = await RunningServer.StartAsync(
            new EndpointOptions { Model = TestModels.Synthetic, Threads = 1, ChatTemplate = template });

        using var response = await PostChatAsync(server, Conversation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("limit", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        using var health = await server.Http.GetAsync(new Uri("health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task A_model_template_that_does_not_parse_falls_back_to_ChatML()
    {
        var path = Path.Combine(Path.GetTempPath(), $"broken-template-{Guid.NewGuid():N}.gguf");
        var changes = new GgufMetadataChanges();
        changes.Set(GgufKeys.ChatTemplate, GgufValue.FromString("{% if messages %}never closed"));
        GgufMetadataEditor.Rewrite(TestModels.Synthetic, path, changes);
        try
        {
            await using var server = await RunningServer.StartAsync(new EndpointOptions { Model = path, Threads = 1 });

            var prompt = await ApplyTemplateAsync(server, Conversation);

            Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi ✓<|im_end|>\n<|im_start|>assistant\n", prompt);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task An_invalid_template_override_stops_the_server_with_the_reason()
    {
        var (exitCode, output) = await ServerProcess.RunToExitAsync(
            ["--model", TestModels.Synthetic, "--port", "0", "--chat-template", "{% for %}"]);

        Assert.Equal(1, exitCode);
        Assert.Contains("not valid Jinja", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_render_template_command_prints_the_prompt()
    {
        var request = Path.GetTempFileName();
        await File.WriteAllTextAsync(request, Conversation);
        try
        {
            var (exitCode, output) = await ServerProcess.RunToExitAsync(
                ["render-template", "--model", TestModels.Synthetic, "--request", request]);

            Assert.Equal(0, exitCode);
            Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi ✓<|im_end|>\n<|im_start|>assistant\n", output);
        }
        finally
        {
            File.Delete(request);
        }
    }

    private static async Task<string> ApplyTemplateAsync(RunningServer server, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await server.Http.PostAsync(new Uri("apply-template", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("prompt").GetString()!;
    }

    private static Task<HttpResponseMessage> PostChatAsync(RunningServer server, string body)
    {
        var withModel = "{\"model\":\"\"," + body[1..];
        return server.Http.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), new StringContent(withModel, Encoding.UTF8, "application/json"));
    }
}

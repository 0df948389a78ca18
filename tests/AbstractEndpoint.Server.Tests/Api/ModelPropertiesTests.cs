using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary><c>GET /props</c>, <c>meta</c> of <c>/v1/models</c> and <c>/v1/chat/completions/input_tokens</c> on stories260K.</summary>
[Collection(StoriesServerCollection.Name)]
public sealed class ModelPropertiesTests(StoriesServerFixture fixture)
{
    private static readonly long FileSize = new FileInfo(TestModels.Stories260K ?? "missing").Exists
        ? new FileInfo(TestModels.Stories260K!).Length : 0;

    [SkippableFact]
    public async Task Props_has_llama_servers_fields_with_the_models_facts()
    {
        var server = fixture.Require();

        var props = await server.Http.GetFromJsonAsync<JsonElement>(new Uri("props", UriKind.Relative));

        Assert.Equal(2048, props.GetProperty("default_generation_settings").GetProperty("n_ctx").GetInt32());
        Assert.Equal(4, props.GetProperty("total_slots").GetInt32());
        Assert.Equal("<s>", props.GetProperty("bos_token").GetString());
        Assert.Equal("</s>", props.GetProperty("eos_token").GetString());
        Assert.Equal(1, props.GetProperty("bos_token_id").GetInt32());
        Assert.Equal(2, props.GetProperty("eos_token_id").GetInt32());
        Assert.Equal(512, props.GetProperty("n_vocab").GetInt32());
        // stories260K carries no chat template: the ChatML fallback is named.
        Assert.Equal("chatml", props.GetProperty("chat_template_name").GetString());
        Assert.Equal("chatml", props.GetProperty("chat_template").GetString());
        Assert.False(props.GetProperty("modalities").GetProperty("vision").GetBoolean());
        Assert.False(props.GetProperty("modalities").GetProperty("audio").GetBoolean());
        Assert.Contains("LLamaSharp", props.GetProperty("build_info").GetString(), StringComparison.Ordinal);
        Assert.Equal(fixture.ModelId, props.GetProperty("model").GetString());
    }

    [SkippableFact]
    public async Task Models_entry_keeps_its_fields_and_gains_meta()
    {
        var server = fixture.Require();

        var list = await server.Http.GetFromJsonAsync<JsonElement>(new Uri("v1/models", UriKind.Relative));

        var entry = Assert.Single(list.GetProperty("data").EnumerateArray());
        Assert.Equal(fixture.ModelId, entry.GetProperty("id").GetString());
        Assert.Equal("abstractendpoint", entry.GetProperty("owned_by").GetString());
        var meta = entry.GetProperty("meta");
        Assert.Equal(2048, meta.GetProperty("n_ctx").GetInt32());
        Assert.Equal(512, meta.GetProperty("n_vocab").GetInt32());
        // 260K parameters in a file a little larger than their bytes.
        Assert.InRange(meta.GetProperty("n_params").GetInt64(), 200_000, 300_000);
        Assert.InRange(meta.GetProperty("size").GetInt64(), FileSize / 2, FileSize);
    }

    [SkippableFact]
    public async Task Input_tokens_is_the_prompt_token_count_a_completion_reports()
    {
        var server = fixture.Require();
        const string Messages = "[{\"role\":\"system\",\"content\":\"Be short.\"},{\"role\":\"user\",\"content\":\"Once upon a time\"}]";

        var counted = await PostAsync(server, "v1/chat/completions/input_tokens", $"{{\"messages\":{Messages}}}");
        var longer = await PostAsync(server, "v1/chat/completions/input_tokens",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time there was a dog and a cat\"}]}");
        var completion = await PostAsync(server, "v1/chat/completions", $"{{\"model\":\"\",\"messages\":{Messages},\"max_tokens\":1}}");

        Assert.Equal("chat.completion.input_tokens", counted.GetProperty("object").GetString());
        var tokens = counted.GetProperty("input_tokens").GetInt32();
        Assert.Equal(completion.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), tokens);
        Assert.NotEqual(tokens, longer.GetProperty("input_tokens").GetInt32());
    }

    private static async Task<JsonElement> PostAsync(RunningServer server, string route, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await server.Http.PostAsync(new Uri(route, UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{route}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}

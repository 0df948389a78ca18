using System.Text;
using System.Text.Json;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary><c>n</c> &gt; 1: the prompt is computed once, then each choice samples on its own copy of the KV sequence.</summary>
public abstract class MultipleChoicesTests<TFixture>(TFixture fixture)
    where TFixture : ServerFixture
{
    [SkippableFact]
    public async Task Greedy_choices_are_identical_to_a_single_greedy_reply()
    {
        var server = fixture.Require();
        var single = await PostAsync(server, "\"max_tokens\":40,\"temperature\":0," + fixture.NoEndBiasJson);
        var expected = single.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();

        var multiple = await PostAsync(server, "\"max_tokens\":40,\"temperature\":0,\"n\":3," + fixture.NoEndBiasJson);

        var choices = multiple.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2], choices.Select(c => c.GetProperty("index").GetInt32()));
        Assert.All(choices, c => Assert.Equal(expected, c.GetProperty("message").GetProperty("content").GetString()));
        var usage = multiple.GetProperty("usage");
        Assert.Equal(120, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(single.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("prompt_tokens").GetInt32());
    }

    [SkippableFact]
    public async Task Sampled_choices_differ_and_a_seed_repeats_them()
    {
        var server = fixture.Require();
        var options = "\"max_tokens\":30,\"temperature\":1.2,\"seed\":7,\"n\":3," + fixture.NoEndBiasJson;

        var first = Contents(await PostAsync(server, options));
        var second = Contents(await PostAsync(server, options));

        Assert.Equal(first, second);
        Assert.True(first.Distinct().Count() > 1, "three sampled choices should not all be equal");
    }

    [SkippableFact]
    public async Task Streamed_choices_carry_their_index_and_each_finishes()
    {
        var server = fixture.Require();
        var events = await SseClient.PostStreamAsync(server,
            "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}],\"max_tokens\":10,\"temperature\":0,\"n\":2,\"stream\":true,\"stream_options\":{\"include_usage\":true}," + fixture.NoEndBiasJson + "}");

        var texts = new[] { new StringBuilder(), new StringBuilder() };
        var finishes = new string[2];
        foreach (var data in events[..^2])
        {
            var choice = JsonDocument.Parse(data).RootElement.GetProperty("choices")[0];
            var index = choice.GetProperty("index").GetInt32();
            if (choice.GetProperty("delta").TryGetProperty("content", out var content))
            {
                texts[index].Append(content.GetString());
            }

            if (choice.GetProperty("finish_reason").ValueKind == JsonValueKind.String)
            {
                finishes[index] = choice.GetProperty("finish_reason").GetString()!;
            }
        }

        Assert.Equal(["length", "length"], finishes);
        Assert.Equal(texts[0].ToString(), texts[1].ToString());
        Assert.Equal(20, JsonDocument.Parse(events[^2]).RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    private static List<string?> Contents(JsonElement completion) =>
        [.. completion.GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("message").GetProperty("content").GetString())];

    private static async Task<JsonElement> PostAsync(RunningServer server, string options)
    {
        using var content = new StringContent(
            "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}]," + options + "}", Encoding.UTF8, "application/json");
        using var response = await server.Http.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}

[Collection(SyntheticServerCollection.Name)]
public sealed class MultipleChoicesTestsOnSyntheticModel(SyntheticServerFixture fixture)
    : MultipleChoicesTests<SyntheticServerFixture>(fixture);

[Collection(StoriesServerCollection.Name)]
public sealed class MultipleChoicesTestsOnStories260K(StoriesServerFixture fixture)
    : MultipleChoicesTests<StoriesServerFixture>(fixture);

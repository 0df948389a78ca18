using System.Text;
using System.Text.Json;
using AbstractEndpoint.Server.Tests.Infrastructure;
using OpenAI.Chat;
using Xunit.Abstractions;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary>
/// <c>response_format</c> <c>json_schema</c> end to end on stories260K: a story model still answers with JSON valid for
/// the schema, plain and streamed, through the official OpenAI client.
/// </summary>
[Collection(StoriesServerCollection.Name)]
public sealed class JsonSchemaTests(StoriesServerFixture fixture, ITestOutputHelper output)
{
    /// <summary>Bounded strings, numbers and arrays: the grammar alone guarantees the reply ends.</summary>
    private const string PersonSchema = """
        {"type":"object","properties":{
          "name":{"type":"string","minLength":1,"maxLength":20},
          "age":{"type":"integer","minimum":0,"maximum":120},
          "pets":{"type":"array","items":{"enum":["cat","dog","fish"]},"maxItems":3},
          "nickname":{"type":["string","null"],"maxLength":10}},
         "required":["name","age","pets"],"additionalProperties":false}
        """;

    private static readonly ChatMessage[] Question = [new UserChatMessage("Tell me about a girl and her pets.")];

    private static ChatCompletionOptions Options => new()
    {
        ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("person", BinaryData.FromString(PersonSchema), jsonSchemaIsStrict: true),
        Temperature = 0,
        MaxOutputTokenCount = 300,
    };

    [SkippableFact]
    public async Task The_reply_is_json_valid_for_the_schema()
    {
        var client = fixture.Require().ChatClient(fixture.ModelId);

        ChatCompletion completion = await client.CompleteChatAsync(Question, Options);

        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Empty(completion.ToolCalls);
        var text = Assert.Single(completion.Content).Text;
        SchemaAssert.Valid(PersonSchema, text);
        output.WriteLine($"{completion.Usage.OutputTokenCount} tokens: {text}");
    }

    [SkippableFact]
    public async Task The_streamed_reply_is_the_same_valid_json()
    {
        var client = fixture.Require().ChatClient(fixture.ModelId);
        ChatCompletion plain = await client.CompleteChatAsync(Question, Options);

        var streamed = new StringBuilder();
        ChatFinishReason? finish = null;
        await foreach (var update in client.CompleteChatStreamingAsync(Question, Options))
        {
            foreach (var part in update.ContentUpdate)
            {
                streamed.Append(part.Text);
            }

            finish = update.FinishReason ?? finish;
        }

        Assert.Equal(ChatFinishReason.Stop, finish);
        SchemaAssert.Valid(PersonSchema, streamed.ToString());
        Assert.Equal(plain.Content[0].Text, streamed.ToString());
    }

    [SkippableTheory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public async Task Sampled_replies_are_valid_too(int seed)
    {
        var server = fixture.Require();
        var body = $$$"""
            {"model":"{{{fixture.ModelId}}}","messages":[{"role":"user","content":"A person, please."}],
             "response_format":{"type":"json_schema","json_schema":{"name":"person","schema":{{{PersonSchema}}},"strict":true}},
             "temperature":1.0,"seed":{{{seed}}},"max_tokens":300}
            """;
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await server.Http.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), content);

        var reply = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(response.IsSuccessStatusCode, reply.ToString());
        var choice = reply.GetProperty("choices")[0];
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        SchemaAssert.Valid(PersonSchema, choice.GetProperty("message").GetProperty("content").GetString()!);
    }
}

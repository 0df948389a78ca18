using System.Buffers;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Protocol.Tests.OpenAI;

/// <summary>Golden bytes: what clients receive must not drift by accident.</summary>
public sealed class ChatCompletionEncoderTests
{
    private const string Header = """{"id":"chatcmpl-test","object":"chat.completion.chunk","created":1700000000,"model":"my-model","choices":""";

    private readonly ChatCompletionEncoder _encoder = new("my-model", 1_700_000_000) { Id = "chatcmpl-test" };

    private static string Write(Action<ArrayBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Role_chunk()
    {
        Assert.Equal(
            "data: " + Header + """[{"index":0,"delta":{"role":"assistant"},"logprobs":null,"finish_reason":null}]}""" + "\n\n",
            Write(b => _encoder.WriteRoleChunk(b)));
    }

    [Fact]
    public void Content_chunk_keeps_non_ascii_as_utf8_and_escapes_quotes_and_control_characters()
    {
        var text = "Café 日本 \"quoted\"\nnext\tline \\ <b>&'";

        Assert.Equal(
            "data: " + Header + """[{"index":0,"delta":{"content":"Café 日本 \"quoted\"\nnext\tline \\ <b>&'"},"logprobs":null,"finish_reason":null}]}""" + "\n\n",
            Write(b => _encoder.WriteContentChunk(b, text)));
    }

    [Fact]
    public void Content_chunk_carries_its_tokens_logprobs()
    {
        TokenLogprob[] entries = [new("é", -0.25f, [0xC3, 0xA9], [new TopLogprob("é", -0.25f, [0xC3, 0xA9]), new TopLogprob("e", -1.5f, [0x65])])];

        Assert.Equal(
            "data: " + Header + """[{"index":0,"delta":{"content":"é"},"logprobs":{"content":[{"token":"é","logprob":-0.25,"bytes":[195,169]""" +
            ""","top_logprobs":[{"token":"é","logprob":-0.25,"bytes":[195,169]},{"token":"e","logprob":-1.5,"bytes":[101]}]}],"refusal":null}""" +
            ""","finish_reason":null}]}""" + "\n\n",
            Write(b => _encoder.WriteContentChunk(b, "é", 0, entries)));
    }

    [Fact]
    public void Completion_has_logprobs_content_when_asked_even_if_empty()
    {
        var json = Write(b => _encoder.WriteCompletion(
            b, [new CompletedChoice(0, "", FinishReason.Stop) { Logprobs = [] }, new CompletedChoice(1, "", FinishReason.Stop)], new Usage(1, 0, 0)));

        var choices = JsonDocument.Parse(json).RootElement.GetProperty("choices");
        Assert.Equal(0, choices[0].GetProperty("logprobs").GetProperty("content").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, choices[1].GetProperty("logprobs").ValueKind);
    }

    [Fact]
    public void Content_chunk_round_trips_any_text()
    {
        var text = "emoji 😀, NUL \u0000, RTL \u202E, BOM \uFEFF, surrogates 𝄞";

        var written = Write(b => _encoder.WriteContentChunk(b, text));

        Assert.StartsWith("data: ", written, StringComparison.Ordinal);
        Assert.EndsWith("\n\n", written, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(written["data: ".Length..^2]);
        Assert.Equal(text, json.RootElement.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString());
    }

    [Theory]
    [InlineData(FinishReason.Stop, "stop")]
    [InlineData(FinishReason.Length, "length")]
    [InlineData(FinishReason.ToolCalls, "tool_calls")]
    public void Finish_chunk(FinishReason reason, string wire)
    {
        Assert.Equal(
            "data: " + Header + $$"""[{"index":0,"delta":{},"logprobs":null,"finish_reason":"{{wire}}"}]}""" + "\n\n",
            Write(b => _encoder.WriteFinishChunk(b, reason)));
    }

    [Fact]
    public void Finish_chunk_and_completion_carry_the_abstractcore_object()
    {
        var telemetry = new ReplyTelemetry(
            new ExecutionReport(2, 0.0015, 0.25),
            new PromptCacheReport("agent", PromptCacheOutcome.HitExtend, 40, 7));
        const string Object =
            "\"abstractcore\":{\"execution\":{\"mode\":\"continuous\",\"peak_batch_size\":2,\"queue_s\":0.0015,\"ttft_s\":0.25},\"prompt_cache\":{\"mode\":\"key\",\"key\":\"agent\",\"outcome\":\"hit_extend\",\"cached_tokens\":40,\"fed_tokens\":7}}";
        Assert.Equal(
            "data: " + Header + """[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],""" + Object + "}\n\n",
            Write(b => _encoder.WriteFinishChunk(b, FinishReason.Stop, telemetry: telemetry)));
        Assert.EndsWith(
            "\"prompt_tokens_details\":{\"cached_tokens\":40}}," + Object + "}",
            Write(b => _encoder.WriteCompletion(b, [new CompletedChoice(0, "x", FinishReason.Stop)], new Usage(47, 1, 40), telemetry)),
            StringComparison.Ordinal);

        // Without a key only the execution is reported.
        Assert.Contains(
            "\"abstractcore\":{\"execution\":{\"mode\":\"continuous\",\"peak_batch_size\":1,\"queue_s\":0,\"ttft_s\":0}}",
            Write(b => _encoder.WriteUsageChunk(b, new Usage(1, 1, 0), new ReplyTelemetry(new ExecutionReport(1, 0, 0)))),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_chunk()
    {
        Assert.Equal(
            "data: " + Header + """[],"usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17,"prompt_tokens_details":{"cached_tokens":8}}}""" + "\n\n",
            Write(b => _encoder.WriteUsageChunk(b, new Usage(12, 5, 8))));
    }

    [Fact]
    public void Error_event()
    {
        var error = new OpenAIError("The \"server\" is busy.", "server_error", Param: null, Code: "kv_cache_full");

        Assert.Equal(
            """data: {"error":{"message":"The \"server\" is busy.","type":"server_error","param":null,"code":"kv_cache_full"}}""" + "\n\n",
            Write(b => ChatCompletionEncoder.WriteErrorEvent(b, error)));
    }

    [Fact]
    public void Error_body_names_the_param()
    {
        var error = new OpenAIError("Bad.", "invalid_request_error", "messages[0].role", "invalid_value");

        Assert.Equal(
            """{"error":{"message":"Bad.","type":"invalid_request_error","param":"messages[0].role","code":"invalid_value"}}""",
            Write(b => error.WriteTo(b)));
    }

    [Fact]
    public void Done_marker()
    {
        Assert.Equal("data: [DONE]\n\n", Encoding.UTF8.GetString(ChatCompletionEncoder.Done));
    }

    [Fact]
    public void Non_streaming_completion()
    {
        Assert.Equal(
            """{"id":"chatcmpl-test","object":"chat.completion","created":1700000000,"model":"my-model","choices":[{"index":0,"message":{"role":"assistant","content":"Héllo \"there\"\n"},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":20,"completion_tokens":4,"total_tokens":24,"prompt_tokens_details":{"cached_tokens":0}}}""",
            Write(b => _encoder.WriteCompletion(b, "Héllo \"there\"\n", FinishReason.Stop, new Usage(20, 4, 0))));
    }

    [Fact]
    public void Chunks_of_another_choice_carry_its_index()
    {
        Assert.Equal(
            "data: " + Header + """[{"index":2,"delta":{"role":"assistant"},"logprobs":null,"finish_reason":null}]}""" + "\n\n" +
            "data: " + Header + """[{"index":2,"delta":{"content":"x"},"logprobs":null,"finish_reason":null}]}""" + "\n\n" +
            "data: " + Header + """[{"index":2,"delta":{},"logprobs":null,"finish_reason":"length"}]}""" + "\n\n",
            Write(b =>
            {
                _encoder.WriteRoleChunk(b, choice: 2);
                _encoder.WriteContentChunk(b, "x", choice: 2);
                _encoder.WriteFinishChunk(b, FinishReason.Length, choice: 2);
            }));
    }

    [Fact]
    public void Non_streaming_completion_with_several_choices()
    {
        CompletedChoice[] choices = [new(0, "A", FinishReason.Stop), new(1, "B", FinishReason.Length)];

        Assert.Equal(
            """{"id":"chatcmpl-test","object":"chat.completion","created":1700000000,"model":"my-model","choices":[{"index":0,"message":{"role":"assistant","content":"A"},"logprobs":null,"finish_reason":"stop"},{"index":1,"message":{"role":"assistant","content":"B"},"logprobs":null,"finish_reason":"length"}],"usage":{"prompt_tokens":9,"completion_tokens":7,"total_tokens":16,"prompt_tokens_details":{"cached_tokens":3}}}""",
            Write(b => _encoder.WriteCompletion(b, choices, new Usage(9, 7, 3))));
    }

    [Fact]
    public void Every_chunk_of_one_answer_shares_the_id_and_created()
    {
        var encoder = new ChatCompletionEncoder("m");
        var chunks = new[]
        {
            Write(b => encoder.WriteRoleChunk(b)),
            Write(b => encoder.WriteContentChunk(b, "x")),
            Write(b => encoder.WriteFinishChunk(b, FinishReason.Stop)),
        }.Select(c => JsonDocument.Parse(c["data: ".Length..]).RootElement).ToList();

        Assert.Matches("^chatcmpl-[0-9a-f]{32}$", encoder.Id);
        Assert.All(chunks, c => Assert.Equal(encoder.Id, c.GetProperty("id").GetString()));
        Assert.All(chunks, c => Assert.Equal(encoder.Created, c.GetProperty("created").GetInt64()));
        Assert.InRange(encoder.Created, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.NotEqual(ChatCompletionEncoder.NewId(), ChatCompletionEncoder.NewId());
    }

    [Fact]
    public void Reasoning_chunk()
    {
        Assert.Equal(
            "data: " + Header + """[{"index":0,"delta":{"reasoning_content":"Let me \"think\"\n"},"logprobs":null,"finish_reason":null}]}""" + "\n\n",
            Write(b => _encoder.WriteReasoningChunk(b, "Let me \"think\"\n")));
    }

    [Fact]
    public void First_tool_call_chunk_carries_index_id_type_name_and_empty_arguments()
    {
        Assert.Equal(
            "data: " + Header + """[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_abc123","type":"function","function":{"name":"get_weather","arguments":""}}]},"logprobs":null,"finish_reason":null}]}""" + "\n\n",
            Write(b => _encoder.WriteToolCallChunk(b, 1, "call_abc123", "get_weather", "")));
    }

    [Fact]
    public void Later_tool_call_chunks_carry_the_index_and_an_arguments_fragment()
    {
        Assert.Equal(
            "data: " + Header + """[{"index":2,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\": \"Par"}}]},"logprobs":null,"finish_reason":null}]}""" + "\n\n",
            Write(b => _encoder.WriteToolCallChunk(b, 0, null, null, "{\"city\": \"Par", choice: 2)));
    }

    [Fact]
    public void Non_streaming_tool_calls_have_null_content()
    {
        CompletedChoice[] choices =
        [
            new(0, "", FinishReason.ToolCalls)
            {
                ToolCalls = [new ToolCall("call_1", "get_weather", """{"city":"Paris"}"""), new ToolCall("call_2", "get_time", "{}")],
            },
        ];

        Assert.Equal(
            """{"id":"chatcmpl-test","object":"chat.completion","created":1700000000,"model":"my-model","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},{"id":"call_2","type":"function","function":{"name":"get_time","arguments":"{}"}}]},"logprobs":null,"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":9,"completion_tokens":7,"total_tokens":16,"prompt_tokens_details":{"cached_tokens":0}}}""",
            Write(b => _encoder.WriteCompletion(b, choices, new Usage(9, 7, 0))));
    }

    [Fact]
    public void Non_streaming_message_with_reasoning_content_and_a_call()
    {
        CompletedChoice[] choices =
        [
            new(0, "Checking.", FinishReason.ToolCalls)
            {
                Reasoning = "The user wants weather.",
                ToolCalls = [new ToolCall("call_1", "get_weather", """{"city":"Oslo"}""")],
            },
        ];

        Assert.Equal(
            """{"id":"chatcmpl-test","object":"chat.completion","created":1700000000,"model":"my-model","choices":[{"index":0,"message":{"role":"assistant","content":"Checking.","reasoning_content":"The user wants weather.","tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Oslo\"}"}}]},"logprobs":null,"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":9,"completion_tokens":7,"total_tokens":16,"prompt_tokens_details":{"cached_tokens":0}}}""",
            Write(b => _encoder.WriteCompletion(b, choices, new Usage(9, 7, 0))));
    }

    [Fact]
    public void Builder_folds_deltas_and_drops_failed_calls()
    {
        var builder = new CompletedChoiceBuilder(1);
        ChoiceUpdate[] updates =
        [
            new ReasoningDelta("hm", 1), new ContentDelta("Sure. ", 1),
            new ToolCallDelta(0, "call_a", "f", "", 1), new ToolCallDelta(0, null, null, "{\"x\":", 1),
            new ToolCallDelta(1, "call_b", "g", "", 1), new ToolCallDelta(1, null, null, "{\"y", 1),
            new ToolCallDelta(0, null, null, "1}", 1), new ToolCallFailed(1, "the output ended inside the call", 1),
        ];
        foreach (var update in updates)
        {
            builder.Add(update);
        }

        var choice = builder.Build(FinishReason.ToolCalls);

        Assert.Equal(1, choice.Index);
        Assert.Equal("Sure. ", choice.Content);
        Assert.Equal("hm", choice.Reasoning);
        Assert.Equal([new ToolCall("call_a", "f", """{"x":1}""")], choice.ToolCalls);
    }
}

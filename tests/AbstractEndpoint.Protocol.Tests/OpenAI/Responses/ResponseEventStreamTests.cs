using System.Buffers;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Protocol.OpenAI;
using AbstractEndpoint.Protocol.OpenAI.Responses;

namespace AbstractEndpoint.Protocol.Tests.OpenAI.Responses;

/// <summary>Golden event sequences of the Responses API's stream and the response object, built from domain updates.</summary>
public sealed class ResponseEventStreamTests
{
    private static readonly ResponseHeader Header = new("resp_test", "my-model", 1700000000, new ResponseSettings { Temperature = 0.5f, TopP = 1 });

    private static ResponseEventStream NewStream()
    {
        var counters = new Dictionary<ResponseOutputItemKind, int>();
        return new ResponseEventStream(Header, kind =>
        {
            counters[kind] = counters.GetValueOrDefault(kind) + 1;
            var prefix = kind switch
            {
                ResponseOutputItemKind.Message => "msg",
                ResponseOutputItemKind.Reasoning => "rs",
                _ => "fc",
            };
            return $"{prefix}_{counters[kind]}";
        });
    }

    private static (string Text, ResponseEventStream Stream) Stream(params ChatUpdate[] updates)
    {
        var stream = NewStream();
        var buffer = new ArrayBufferWriter<byte>();
        stream.WriteStart(buffer);
        foreach (var update in updates)
        {
            stream.Write(buffer, update);
        }

        return (Encoding.UTF8.GetString(buffer.WrittenSpan), stream);
    }

    /// <summary>Each event's name, checked against its data's type and sequence number, with its data.</summary>
    private static List<(string Type, JsonElement Data)> Events(string text)
    {
        var events = new List<(string, JsonElement)>();
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            Assert.StartsWith("event: ", lines[0], StringComparison.Ordinal);
            Assert.StartsWith("data: ", lines[1], StringComparison.Ordinal);
            var type = lines[0]["event: ".Length..];
            var data = JsonDocument.Parse(lines[1]["data: ".Length..]).RootElement;
            Assert.Equal(type, data.GetProperty("type").GetString());
            Assert.Equal(events.Count, data.GetProperty("sequence_number").GetInt32());
            events.Add((type, data));
        }

        return events;
    }

    /// <summary>An event's data without the fields every event has, for compact goldens.</summary>
    private static string Body(JsonElement data)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var property in data.EnumerateObject().Where(p => p.Name is not ("type" or "sequence_number")))
            {
                property.WriteTo(json);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string ResponseObject(string status, string output, string usage, string incomplete = "null", string error = "null") =>
        $$$"""{"id":"resp_test","object":"response","created_at":1700000000,"status":"{{{status}}}","background":false,"error":{{{error}}},"incomplete_details":{{{incomplete}}},"instructions":null,"max_output_tokens":null,"max_tool_calls":null,"model":"my-model","output":[{{{output}}}],"parallel_tool_calls":true,"previous_response_id":null,"prompt_cache_key":null,"reasoning":{"effort":null,"summary":null},"safety_identifier":null,"service_tier":"default","store":true,"temperature":0.5,"text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_logprobs":0,"top_p":1,"truncation":"disabled","usage":{{{usage}}},"user":null,"metadata":{}}""";

    private const string Usage73 =
        """{"input_tokens":7,"input_tokens_details":{"cached_tokens":3},"output_tokens":2,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":9}""";

    private static string Event(string type, int sequence, string body) =>
        $"event: {type}\ndata: {{\"type\":\"{type}\",\"sequence_number\":{sequence}{(body.Length > 2 ? "," + body[1..] : "}")}\n\n";

    [Fact]
    public void Text_stream_is_the_whole_golden_sequence()
    {
        var (text, _) = Stream(
            new ContentDelta("Hel"),
            new LogprobsDelta([]),
            new ContentDelta("lo"),
            new ChatFinished(FinishReason.Stop, new Usage(7, 2, 3)));

        const string Part = """{"type":"output_text","text":"Hello","annotations":[],"logprobs":[]}""";
        const string Item = """{"id":"msg_1","type":"message","status":"completed","role":"assistant","content":[""" + Part + "]}";
        Assert.Equal(
            Event("response.created", 0, $$"""{"response":{{ResponseObject("in_progress", "", "null")}}}""")
            + Event("response.in_progress", 1, $$"""{"response":{{ResponseObject("in_progress", "", "null")}}}""")
            + Event("response.output_item.added", 2, """{"output_index":0,"item":{"id":"msg_1","type":"message","status":"in_progress","role":"assistant","content":[]}}""")
            + Event("response.content_part.added", 3, """{"item_id":"msg_1","output_index":0,"content_index":0,"part":{"type":"output_text","text":"","annotations":[],"logprobs":[]}}""")
            + Event("response.output_text.delta", 4, """{"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hel","logprobs":[]}""")
            + Event("response.output_text.delta", 5, """{"item_id":"msg_1","output_index":0,"content_index":0,"delta":"lo","logprobs":[]}""")
            + Event("response.output_text.done", 6, """{"item_id":"msg_1","output_index":0,"content_index":0,"text":"Hello","logprobs":[]}""")
            + Event("response.content_part.done", 7, """{"item_id":"msg_1","output_index":0,"content_index":0,"part":""" + Part + "}")
            + Event("response.output_item.done", 8, """{"output_index":0,"item":""" + Item + "}")
            + Event("response.completed", 9, $$"""{"response":{{ResponseObject("completed", Item, Usage73)}}}"""),
            text);
    }

    [Fact]
    public void Reasoning_then_text_then_two_calls_are_four_items_in_order()
    {
        var (text, stream) = Stream(
            new ReasoningDelta("thi"),
            new ReasoningDelta("nk"),
            new ContentDelta("ok"),
            new ToolCallDelta(0, "call_a", "f", ""),
            new ToolCallDelta(0, null, null, "{\"x\":"),
            new ToolCallDelta(0, null, null, "1}"),
            new ToolCallDelta(1, "call_b", "g", "{}"),
            new ChatFinished(FinishReason.ToolCalls, new Usage(7, 9, 0)));

        var events = Events(text);
        Assert.Equal(
            [
                "response.created", "response.in_progress",
                "response.output_item.added", "response.reasoning_summary_part.added",
                "response.reasoning_summary_text.delta", "response.reasoning_summary_text.delta",
                "response.reasoning_summary_text.done", "response.reasoning_summary_part.done", "response.output_item.done",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done",
                "response.completed",
            ],
            events.Select(e => e.Type));
        Assert.Equal(
            [
                """{"output_index":0,"item":{"id":"rs_1","type":"reasoning","summary":[]}}""",
                """{"item_id":"rs_1","output_index":0,"summary_index":0,"part":{"type":"summary_text","text":""}}""",
                """{"item_id":"rs_1","output_index":0,"summary_index":0,"delta":"thi"}""",
                """{"item_id":"rs_1","output_index":0,"summary_index":0,"delta":"nk"}""",
                """{"item_id":"rs_1","output_index":0,"summary_index":0,"text":"think"}""",
                """{"item_id":"rs_1","output_index":0,"summary_index":0,"part":{"type":"summary_text","text":"think"}}""",
                """{"output_index":0,"item":{"id":"rs_1","type":"reasoning","summary":[{"type":"summary_text","text":"think"}]}}""",
            ],
            events.Skip(2).Take(7).Select(e => Body(e.Data)));
        Assert.Equal(
            [
                """{"output_index":2,"item":{"id":"fc_1","type":"function_call","status":"in_progress","arguments":"","call_id":"call_a","name":"f"}}""",
                """{"item_id":"fc_1","output_index":2,"delta":"{\u0022x\u0022:"}""",
                """{"item_id":"fc_1","output_index":2,"delta":"1}"}""",
                """{"item_id":"fc_1","output_index":2,"name":"f","arguments":"{\u0022x\u0022:1}"}""",
                """{"output_index":2,"item":{"id":"fc_1","type":"function_call","status":"completed","arguments":"{\u0022x\u0022:1}","call_id":"call_a","name":"f"}}""",
                """{"output_index":3,"item":{"id":"fc_2","type":"function_call","status":"in_progress","arguments":"","call_id":"call_b","name":"g"}}""",
                """{"item_id":"fc_2","output_index":3,"delta":"{}"}""",
                """{"item_id":"fc_2","output_index":3,"name":"g","arguments":"{}"}""",
            ],
            events.Skip(15).Take(8).Select(e => Body(e.Data)));

        var output = events[^1].Data.GetProperty("response").GetProperty("output");
        Assert.Equal(["reasoning", "message", "function_call", "function_call"], output.EnumerateArray().Select(i => i.GetProperty("type").GetString()));
        Assert.Equal("completed", events[^1].Data.GetProperty("response").GetProperty("status").GetString());

        var turn = stream.ToAssistantMessage()!;
        Assert.Equal("ok", turn.Content);
        Assert.Equal("think", turn.ReasoningContent);
        Assert.Equal([new ToolCall("call_a", "f", """{"x":1}"""), new ToolCall("call_b", "g", "{}")], turn.ToolCalls);
    }

    [Fact]
    public void The_finished_response_carries_the_abstractcore_object_after_its_usage()
    {
        var telemetry = new ReplyTelemetry(
            new ExecutionReport(3, 0.25, 0.5), new PromptCacheReport("story", PromptCacheOutcome.HitExtend, 3, 4));
        var (text, stream) = Stream(new ContentDelta("Hi"), new ChatFinished(FinishReason.Stop, new Usage(7, 2, 3)) { Telemetry = telemetry });

        var response = Events(text)[^1].Data.GetProperty("response");
        var names = response.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(names.IndexOf("usage") + 1, names.IndexOf("abstractcore"));
        Assert.Equal(
            """{"execution":{"mode":"continuous","peak_batch_size":3,"queue_s":0.25,"ttft_s":0.5},"prompt_cache":{"mode":"key","key":"story","outcome":"hit_extend","cached_tokens":3,"fed_tokens":4}}""",
            response.GetProperty("abstractcore").GetRawText());
        Assert.Same(telemetry, stream.Telemetry);

        // Before the reply finished there is none: the created event's response has no such member.
        Assert.False(Events(text)[0].Data.GetProperty("response").TryGetProperty("abstractcore", out _));
    }

    [Fact]
    public void A_length_finish_is_response_incomplete_with_its_reason()
    {
        var (text, stream) = Stream(new ContentDelta("Once"), new ChatFinished(FinishReason.Length, new Usage(7, 2, 3)));

        var events = Events(text);
        Assert.Equal("response.incomplete", events[^1].Type);
        const string Item = """{"id":"msg_1","type":"message","status":"incomplete","role":"assistant","content":[{"type":"output_text","text":"Once","annotations":[],"logprobs":[]}]}""";
        Assert.Equal($$"""{"response":{{ResponseObject("incomplete", Item, Usage73, incomplete: """{"reason":"max_output_tokens"}""")}}}""", Body(events[^1].Data));
        Assert.Equal("incomplete", stream.Status);
    }

    [Fact]
    public void A_call_that_failed_stays_in_place_marked_incomplete_and_is_not_replayed()
    {
        var (text, stream) = Stream(
            new ToolCallDelta(0, "call_a", "f", "{\"x\""),
            new ToolCallFailed(0, "not JSON"),
            new ContentDelta("sorry"),
            new ChatFinished(FinishReason.Stop, new Usage(7, 2, 0)));

        var events = Events(text);
        var done = events.First(e => e.Type == "response.output_item.done").Data.GetProperty("item");
        Assert.Equal("incomplete", done.GetProperty("status").GetString());
        var output = events[^1].Data.GetProperty("response").GetProperty("output");
        Assert.Equal(["function_call", "message"], output.EnumerateArray().Select(i => i.GetProperty("type").GetString()));
        Assert.Equal(1, events.First(e => e.Type == "response.output_text.delta").Data.GetProperty("output_index").GetInt32());
        Assert.Empty(stream.ToAssistantMessage()!.ToolCalls);
    }

    [Fact]
    public void A_failure_after_the_start_is_an_error_event_then_response_failed()
    {
        var stream = NewStream();
        var buffer = new ArrayBufferWriter<byte>();
        stream.WriteStart(buffer);
        stream.Write(buffer, new ContentDelta("Hi"));
        stream.WriteFailed(buffer, new OpenAIError("boom", "server_error"));

        var events = Events(Encoding.UTF8.GetString(buffer.WrittenSpan));
        Assert.Equal(
            ["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added", "response.output_text.delta",
             "response.output_text.done", "response.content_part.done", "response.output_item.done", "error", "response.failed"],
            events.Select(e => e.Type));
        Assert.Equal("""{"code":"server_error","message":"boom","param":null}""", Body(events[^2].Data));
        var failed = events[^1].Data.GetProperty("response");
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("""{"code":"server_error","message":"boom"}""", failed.GetProperty("error").GetRawText());
    }

    [Fact]
    public void Without_a_sink_the_updates_make_the_same_response_object()
    {
        var stream = NewStream();
        foreach (var update in new ChatUpdate[] { new ContentDelta("Hel"), new ContentDelta("lo"), new ChatFinished(FinishReason.Stop, new Usage(7, 2, 3)) })
        {
            stream.Write(null, update);
        }

        var buffer = new ArrayBufferWriter<byte>();
        stream.WriteResponse(buffer);

        const string Item = """{"id":"msg_1","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Hello","annotations":[],"logprobs":[]}]}""";
        Assert.Equal(ResponseObject("completed", Item, Usage73), Encoding.UTF8.GetString(buffer.WrittenSpan));
        var turn = stream.ToAssistantMessage()!;
        Assert.Equal((ChatRole.Assistant, "Hello", null), (turn.Role, turn.Content, turn.ReasoningContent));
        Assert.Empty(turn.ToolCalls);
    }
}

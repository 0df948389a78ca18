using System.Buffers;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Protocol.OpenAI.Responses;

/// <summary>
/// Turns the domain's updates into a response: its output items (<c>reasoning</c>, <c>message</c>,
/// <c>function_call</c>, in the order the model produced them) and, when an event sink is given, the Responses API's
/// event stream — <c>response.created</c> and <c>response.in_progress</c>; per item <c>response.output_item.added</c>,
/// its part's <c>added</c> event, its deltas, their <c>done</c> events and <c>response.output_item.done</c>; then
/// <c>response.completed</c>, <c>response.incomplete</c> (a length limit) or <c>error</c> and
/// <c>response.failed</c>. Every event has a <c>sequence_number</c>; item events an <c>output_index</c> and
/// <c>item_id</c>. An item is closed when output of another kind (or another call) begins. The non-streamed reply is
/// the same assembly without a sink, so both answers are made by one piece of code.
/// </summary>
/// <param name="header">The response's id, model, time and echoed parameters.</param>
/// <param name="newItemId">Makes an output item's id (random ids in the API's style by default).</param>
public sealed class ResponseEventStream(ResponseHeader header, Func<ResponseOutputItemKind, string>? newItemId = null)
{
    private readonly List<ResponseOutputItem> _items = [];
    private readonly Dictionary<int, ResponseOutputItem> _calls = [];
    private ResponseOutputItem? _open;
    private int _sequence;

    public ResponseHeader Header { get; } = header;

    /// <summary>The output items so far (a call that failed stays, marked <c>incomplete</c>, so indices hold).</summary>
    public IReadOnlyList<ResponseOutputItem> Items => _items;

    /// <summary><c>in_progress</c> until the reply ends, then <c>completed</c>, <c>incomplete</c> or <c>failed</c>.</summary>
    public string Status { get; private set; } = "in_progress";

    /// <summary>The reply's usage, once it finished.</summary>
    public Usage? Usage { get; private set; }

    /// <summary>How the reply was produced (AbstractCore's <c>abstractcore</c> object), once it finished.</summary>
    public ReplyTelemetry? Telemetry { get; private set; }

    /// <summary><c>max_output_tokens</c> when the reply was cut by a length limit.</summary>
    public string? IncompleteReason { get; private set; }

    /// <summary>The failure of a failed response.</summary>
    public OpenAIError? Error { get; private set; }

    /// <summary><c>response.created</c> and <c>response.in_progress</c>.</summary>
    public void WriteStart(IBufferWriter<byte> output)
    {
        WriteEvent(output, "response.created", WriteResponseProperty);
        WriteEvent(output, "response.in_progress", WriteResponseProperty);
    }

    /// <summary>Adds one update to the response, writing its events to <paramref name="output"/> when given.</summary>
    public void Write(IBufferWriter<byte>? output, ChatUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        switch (update)
        {
            case ReasoningDelta delta when delta.Text.Length > 0:
                var reasoning = Open(output, ResponseOutputItemKind.Reasoning);
                reasoning.Text.Append(delta.Text);
                WriteItemEvent(output, "response.reasoning_summary_text.delta", reasoning, json =>
                {
                    json.WriteNumber("summary_index", 0);
                    json.WriteString("delta", delta.Text);
                });
                break;
            case ContentDelta delta when delta.Text.Length > 0:
                var message = Open(output, ResponseOutputItemKind.Message);
                message.Text.Append(delta.Text);
                WriteItemEvent(output, "response.output_text.delta", message, json =>
                {
                    json.WriteNumber("content_index", 0);
                    json.WriteString("delta", delta.Text);
                    json.WriteStartArray("logprobs");
                    json.WriteEndArray();
                });
                break;
            case ToolCallDelta { Id: { } callId } delta:
                Close(output, "completed");
                var call = new ResponseOutputItem(ResponseOutputItemKind.FunctionCall, NewItemId(ResponseOutputItemKind.FunctionCall))
                {
                    CallId = callId,
                    Name = delta.Name,
                };
                _calls[delta.Index] = call;
                Add(output, call);
                WriteArguments(output, call, delta.ArgumentsFragment);
                break;
            case ToolCallDelta delta when _calls.TryGetValue(delta.Index, out var continued):
                WriteArguments(output, continued, delta.ArgumentsFragment);
                break;
            case ToolCallFailed failed when _calls.TryGetValue(failed.Index, out var broken):
                if (_open == broken)
                {
                    Close(output, "incomplete");
                }
                else
                {
                    broken.Status = "incomplete";
                }

                break;
            case ChatFinished finished:
                var length = finished.Reason == FinishReason.Length;
                Close(output, length ? "incomplete" : "completed");
                Usage = finished.Usage;
                Telemetry = finished.Telemetry;
                Status = length ? "incomplete" : "completed";
                IncompleteReason = length ? "max_output_tokens" : null;
                WriteEvent(output, length ? "response.incomplete" : "response.completed", WriteResponseProperty);
                break;
        }
    }

    /// <summary>
    /// A failure after the stream began: an <c>error</c> event, then <c>response.failed</c> with the output so far.
    /// </summary>
    public void WriteFailed(IBufferWriter<byte>? output, OpenAIError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Close(output, "incomplete");
        Status = "failed";
        Error = error;
        WriteEvent(output, "error", json =>
        {
            json.WriteString("code", error.Code ?? error.Type);
            json.WriteString("message", error.Message);
            if (error.Param is null)
            {
                json.WriteNull("param");
            }
            else
            {
                json.WriteString("param", error.Param);
            }
        });
        WriteEvent(output, "response.failed", WriteResponseProperty);
    }

    /// <summary>The response object as it stands (the whole reply once it finished).</summary>
    public void WriteResponse(IBufferWriter<byte> output)
    {
        using var json = OpenAIJson.CreateWriter(output);
        WriteResponseObject(json);
    }

    /// <summary>
    /// The reply as the assistant turn a continuation replays: its reasoning, text and completed calls
    /// (null when it produced nothing).
    /// </summary>
    public ChatMessage? ToAssistantMessage()
    {
        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        var calls = new List<ToolCall>();
        foreach (var item in _items)
        {
            switch (item.Kind)
            {
                case ResponseOutputItemKind.Message:
                    text.Append(item.Text);
                    break;
                case ResponseOutputItemKind.Reasoning:
                    reasoning.Append(item.Text);
                    break;
                case ResponseOutputItemKind.FunctionCall when item.Status == "completed":
                    calls.Add(new ToolCall(item.CallId!, item.Name!, item.Text.ToString()));
                    break;
            }
        }

        if (text.Length == 0 && reasoning.Length == 0 && calls.Count == 0)
        {
            return null;
        }

        return new ChatMessage(ChatRole.Assistant, text.Length > 0 || calls.Count == 0 ? text.ToString() : null)
        {
            ToolCalls = calls,
            ReasoningContent = reasoning.Length > 0 ? reasoning.ToString() : null,
        };
    }

    private string NewItemId(ResponseOutputItemKind kind) => newItemId?.Invoke(kind) ?? kind switch
    {
        ResponseOutputItemKind.Message => ResponseIds.NewMessageId(),
        ResponseOutputItemKind.Reasoning => ResponseIds.NewReasoningId(),
        _ => ResponseIds.NewFunctionCallId(),
    };

    private void WriteResponseObject(Utf8JsonWriter json) =>
        ResponseObjectWriter.Write(json, Header, Status, _items, Usage, IncompleteReason, Error, Telemetry);

    private void WriteResponseProperty(Utf8JsonWriter json)
    {
        json.WritePropertyName("response");
        WriteResponseObject(json);
    }

    private void WriteArguments(IBufferWriter<byte>? output, ResponseOutputItem call, string fragment)
    {
        if (fragment.Length == 0)
        {
            return;
        }

        call.Text.Append(fragment);
        WriteItemEvent(output, "response.function_call_arguments.delta", call, json => json.WriteString("delta", fragment));
    }

    /// <summary>The open item of <paramref name="kind"/>, or a new one after closing the open item of another kind.</summary>
    private ResponseOutputItem Open(IBufferWriter<byte>? output, ResponseOutputItemKind kind)
    {
        if (_open is { } open && open.Kind == kind)
        {
            return open;
        }

        Close(output, "completed");
        var item = new ResponseOutputItem(kind, NewItemId(kind));
        Add(output, item);
        return item;
    }

    private void Add(IBufferWriter<byte>? output, ResponseOutputItem item)
    {
        _items.Add(item);
        _open = item;
        WriteEvent(output, "response.output_item.added", json =>
        {
            json.WriteNumber("output_index", _items.Count - 1);
            json.WritePropertyName("item");
            ResponseObjectWriter.WriteItem(json, item);
        });
        switch (item.Kind)
        {
            case ResponseOutputItemKind.Message:
                WriteItemEvent(output, "response.content_part.added", item, json =>
                {
                    json.WriteNumber("content_index", 0);
                    json.WritePropertyName("part");
                    ResponseObjectWriter.WriteTextPart(json, "");
                });
                break;
            case ResponseOutputItemKind.Reasoning:
                WriteItemEvent(output, "response.reasoning_summary_part.added", item, json =>
                {
                    json.WriteNumber("summary_index", 0);
                    json.WritePropertyName("part");
                    ResponseObjectWriter.WriteSummaryPart(json, "");
                });
                break;
        }
    }

    /// <summary>Ends the open item: its text's <c>done</c> event, its part's, then <c>response.output_item.done</c>.</summary>
    private void Close(IBufferWriter<byte>? output, string status)
    {
        if (_open is not { } item)
        {
            return;
        }

        _open = null;
        var text = item.Text.ToString();
        switch (item.Kind)
        {
            case ResponseOutputItemKind.Message:
                WriteItemEvent(output, "response.output_text.done", item, json =>
                {
                    json.WriteNumber("content_index", 0);
                    json.WriteString("text", text);
                    json.WriteStartArray("logprobs");
                    json.WriteEndArray();
                });
                WriteItemEvent(output, "response.content_part.done", item, json =>
                {
                    json.WriteNumber("content_index", 0);
                    json.WritePropertyName("part");
                    ResponseObjectWriter.WriteTextPart(json, text);
                });
                break;
            case ResponseOutputItemKind.Reasoning:
                WriteItemEvent(output, "response.reasoning_summary_text.done", item, json =>
                {
                    json.WriteNumber("summary_index", 0);
                    json.WriteString("text", text);
                });
                WriteItemEvent(output, "response.reasoning_summary_part.done", item, json =>
                {
                    json.WriteNumber("summary_index", 0);
                    json.WritePropertyName("part");
                    ResponseObjectWriter.WriteSummaryPart(json, text);
                });
                break;
            case ResponseOutputItemKind.FunctionCall:
                WriteItemEvent(output, "response.function_call_arguments.done", item, json =>
                {
                    json.WriteString("name", item.Name);
                    json.WriteString("arguments", text);
                });
                break;
        }

        item.Status = status;
        WriteEvent(output, "response.output_item.done", json =>
        {
            json.WriteNumber("output_index", _items.IndexOf(item));
            json.WritePropertyName("item");
            ResponseObjectWriter.WriteItem(json, item);
        });
    }

    private void WriteItemEvent(IBufferWriter<byte>? output, string type, ResponseOutputItem item, Action<Utf8JsonWriter> writeBody) =>
        WriteEvent(output, type, json =>
        {
            json.WriteString("item_id", item.Id);
            json.WriteNumber("output_index", _items.IndexOf(item));
            writeBody(json);
        });

    private void WriteEvent(IBufferWriter<byte>? output, string type, Action<Utf8JsonWriter> writeBody)
    {
        if (output is null)
        {
            return;
        }

        output.Write(Encoding.UTF8.GetBytes($"event: {type}\ndata: "));
        using (var json = OpenAIJson.CreateWriter(output))
        {
            json.WriteStartObject();
            json.WriteString("type", type);
            json.WriteNumber("sequence_number", _sequence++);
            writeBody(json);
            json.WriteEndObject();
        }

        output.Write("\n\n"u8);
    }
}

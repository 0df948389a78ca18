using System.Text;

namespace AbstractEndpoint.Protocol.OpenAI.Responses;

/// <summary>One output item as it is assembled: its text (content, reasoning or arguments) grows with the deltas.</summary>
/// <param name="Kind">What the item is.</param>
/// <param name="Id">The item's id (<c>msg_…</c>, <c>rs_…</c>, <c>fc_…</c>).</param>
public sealed record ResponseOutputItem(ResponseOutputItemKind Kind, string Id)
{
    /// <summary>For a call: the id the client answers with (<c>function_call_output.call_id</c>).</summary>
    public string? CallId { get; init; }

    /// <summary>For a call: the function's name.</summary>
    public string? Name { get; init; }

    /// <summary>The content, the reasoning or the call's arguments so far.</summary>
    public StringBuilder Text { get; } = new();

    /// <summary><c>in_progress</c>, <c>completed</c> or <c>incomplete</c>.</summary>
    public string Status { get; set; } = "in_progress";
}

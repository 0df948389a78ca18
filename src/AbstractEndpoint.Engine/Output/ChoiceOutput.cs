using AbstractEndpoint.Core.Generation;
using Parsed = AbstractEndpoint.StructuredOutput;

namespace AbstractEndpoint.Engine.Output;

/// <summary>
/// One choice's output parser, translating its events into the choice's <see cref="ChatUpdate"/>s: content and
/// reasoning deltas, and tool calls as OpenAI streams them (the first delta of a call carries its id and name).
/// Request thread only.
/// </summary>
internal sealed class ChoiceOutput(int choice, Parsed.StreamingOutputParser parser)
{
    /// <summary>The calls that completed, known once <see cref="Complete"/> has run.</summary>
    public int CompletedCalls { get; private set; }

    public List<ChatUpdate> Feed(string text) => Translate(parser.Feed(text));

    /// <summary>Ends the output: what the parser still held back, failed calls, and the count of complete calls.</summary>
    public List<ChatUpdate> Complete() => Translate(parser.Complete());

    private List<ChatUpdate> Translate(IReadOnlyList<Parsed.OutputEvent> events)
    {
        var updates = new List<ChatUpdate>(events.Count);
        foreach (var update in events)
        {
            switch (update)
            {
                case Parsed.ContentDelta { Text.Length: > 0 } content:
                    updates.Add(new ContentDelta(content.Text, choice));
                    break;
                case Parsed.ReasoningDelta { Text.Length: > 0 } reasoning:
                    updates.Add(new ReasoningDelta(reasoning.Text, choice));
                    break;
                case Parsed.ToolCallStarted started:
                    updates.Add(new ToolCallDelta(started.Index, started.Id, started.Name, "", choice));
                    break;
                case Parsed.ToolCallArgumentsDelta arguments:
                    updates.Add(new ToolCallDelta(arguments.Index, null, null, arguments.Fragment, choice));
                    break;
                case Parsed.ToolCallFailed failed:
                    updates.Add(new ToolCallFailed(failed.Index, failed.Reason, choice));
                    break;
                case Parsed.OutputCompleted completed:
                    CompletedCalls = completed.ToolCalls.Count;
                    break;
            }
        }

        return updates;
    }
}

using System.Text;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>
/// Folds one choice's streamed updates into the non-streaming message: content, reasoning, and the tool calls
/// that completed (a call that failed part-way is left out, as its arguments are not valid JSON).
/// </summary>
public sealed class CompletedChoiceBuilder(int index, bool logprobs = false)
{
    private readonly List<TokenLogprob>? _logprobs = logprobs ? [] : null;
    private readonly StringBuilder _content = new();
    private readonly StringBuilder _reasoning = new();
    private readonly SortedDictionary<int, (string Id, string Name, StringBuilder Arguments)> _calls = [];

    public void Add(ChoiceUpdate update)
    {
        switch (update)
        {
            case ContentDelta delta:
                _content.Append(delta.Text);
                break;
            case ReasoningDelta delta:
                _reasoning.Append(delta.Text);
                break;
            case ToolCallDelta { Id: { } id, Name: { } name } start:
                _calls[start.Index] = (id, name, new StringBuilder(start.ArgumentsFragment));
                break;
            case ToolCallDelta fragment when _calls.TryGetValue(fragment.Index, out var call):
                call.Arguments.Append(fragment.ArgumentsFragment);
                break;
            case LogprobsDelta delta:
                _logprobs?.AddRange(delta.Entries);
                break;
            case ToolCallFailed failed:
                _calls.Remove(failed.Index);
                break;
        }
    }

    public CompletedChoice Build(FinishReason reason) => new(index, _content.ToString(), reason)
    {
        Reasoning = _reasoning.ToString(),
        ToolCalls = [.. _calls.Values.Select(c => new ToolCall(c.Id, c.Name, c.Arguments.ToString()))],
        Logprobs = _logprobs,
    };
}

using System.Text;
using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.StructuredOutput.Parsing;

/// <summary>
/// One output channel (content or reasoning) as it streams: leading whitespace of a segment is dropped, trailing
/// whitespace is held until something non-blank follows (so the blank line before a tool call or after
/// <c>&lt;/think&gt;</c> never reaches the client), and a high surrogate waits for its partner.
/// </summary>
internal sealed class TextChannel(Func<string, ChoiceUpdate> makeEvent)
{
    private readonly StringBuilder _all = new();
    private string _pendingSpace = string.Empty;
    private string _heldSurrogate = string.Empty;
    private bool _atSegmentStart = true;

    public string Text => _all.ToString();

    public void Append(string text, List<ChoiceUpdate> events)
    {
        if (text.Length == 0)
        {
            return;
        }

        text = _heldSurrogate + text;
        _heldSurrogate = string.Empty;
        if (char.IsHighSurrogate(text[^1]))
        {
            _heldSurrogate = text[^1..];
            text = text[..^1];
        }

        if (_atSegmentStart)
        {
            text = text.TrimStart();
            if (text.Length == 0)
            {
                return;
            }

            _atSegmentStart = false;
        }

        var visible = text.Length;
        while (visible > 0 && char.IsWhiteSpace(text[visible - 1]))
        {
            visible--;
        }

        if (visible == 0)
        {
            _pendingSpace += text;
            return;
        }

        var output = _pendingSpace + text[..visible];
        _pendingSpace = text[visible..];
        _all.Append(output);
        events.Add(makeEvent(output));
    }

    /// <summary>Starts a new segment: held whitespace is dropped and the next segment's leading whitespace too.</summary>
    public void Break()
    {
        _pendingSpace = string.Empty;
        _atSegmentStart = true;
    }
}

using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.StructuredOutput.Formats;
using AbstractEndpoint.StructuredOutput.Parsing;

namespace AbstractEndpoint.StructuredOutput;

/// <summary>
/// Turns one choice's decoded output, fed piece by piece as it streams, into the domain's updates for one format:
/// <see cref="ContentDelta"/>, <see cref="ReasoningDelta"/>, <see cref="ToolCallDelta"/> (as OpenAI streams calls:
/// the first delta of a call carries its id and name) and <see cref="ToolCallFailed"/>. Markup never leaks into content: text that might be the start of a marker is held back until
/// it is disambiguated, and a marker that turns out not to open a well-formed call is released as content.
/// Calls stream as soon as their name is known; their argument fragments concatenate to the final arguments JSON.
/// A call whose arguments never complete (the output ended inside it) or are not a JSON object yields a
/// <see cref="ToolCallFailed"/> update and is left out of <see cref="ParsedOutput.ToolCalls"/>.
/// Not thread-safe: one instance per generation.
/// </summary>
public sealed class StreamingOutputParser
{
    private const string IdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private readonly ToolCallFamily _family;
    private readonly ToolCatalog _tools;
    private readonly bool _extractReasoning;
    private readonly bool _parseToolCalls;
    private readonly Func<string> _newId;
    private readonly int _choice;
    private readonly TextChannel _content;
    private readonly TextChannel _reasoning;
    private readonly List<CallState> _blockCalls = [];
    private readonly List<ParsedToolCall> _calls = [];
    private string _text = string.Empty;
    private int _pos;
    private int _blockStart;
    private Mode _mode;
    private bool _expectReasoningOpen;
    private int _nextIndex;
    private bool _completed;

    /// <param name="format">The model family's markup.</param>
    /// <param name="reasoningFormat">Whether reasoning is split out or left in the content.</param>
    /// <param name="startsInReasoning">
    /// The prompt already opened the reasoning block (e.g. ends with <c>&lt;think&gt;\n</c>), so output starts inside it
    /// (see <see cref="PromptEndsInsideReasoning"/>). Ignored with <see cref="ReasoningFormat.None"/>.
    /// </param>
    /// <param name="tools">The request's tools; XML-style formats use their schemas to type parameter values.</param>
    /// <param name="idGenerator">Makes call ids; defaults to <c>call_</c> + 24 random alphanumerics.</param>
    /// <param name="parseToolCalls">
    /// False when the model was offered no tools: call markup is then ordinary content (a JSON reply that happens to
    /// look like a generic call stays a JSON reply) and only reasoning is split out. Formats whose output starts
    /// inside a message header (gpt-oss, Functionary v3.2) still parse their blocks, as that is where their
    /// content is.
    /// </param>
    /// <param name="choice">The choice (<c>n</c> index) the updates are for.</param>
    public StreamingOutputParser(
        ToolCallFormat format,
        ReasoningFormat reasoningFormat = ReasoningFormat.Extract,
        bool startsInReasoning = false,
        IReadOnlyList<ToolDefinition>? tools = null,
        Func<string>? idGenerator = null,
        bool parseToolCalls = true,
        int choice = 0)
    {
        _choice = choice;
        _content = new TextChannel(t => new ContentDelta(t, choice));
        _family = ToolCallFamilies.For(format);
        _tools = new ToolCatalog(tools);
        _extractReasoning = reasoningFormat == ReasoningFormat.Extract;
        _parseToolCalls = parseToolCalls || _family.StartsInBlock;
        _newId = idGenerator ?? NewCallId;

        // With reasoning left inline, reasoning text simply flows into the content channel.
        _reasoning = _extractReasoning ? new TextChannel(t => new ReasoningDelta(t, choice)) : _content;

        if (_family.StartsInBlock)
        {
            _mode = Mode.Block;
        }
        else if (startsInReasoning && _extractReasoning && _family.Reasoning is not null)
        {
            _mode = Mode.Reasoning;
        }
        else
        {
            _mode = Mode.Content;
            _expectReasoningOpen = _extractReasoning && _family.Reasoning?.Open is not null;
        }
    }

    private enum Mode
    {
        Content,
        Reasoning,
        Block,
    }

    /// <summary>
    /// True when the format's output starts inside a message header (gpt-oss, Functionary v3.2): its content sits in
    /// blocks, so even a plain-text reply must go through the parser.
    /// </summary>
    public static bool OutputStartsInsideHeader(ToolCallFormat format) => ToolCallFamilies.For(format).StartsInBlock;

    /// <summary>
    /// The tags that open and close the format's reasoning block when reasoning is plain tagged text (e.g.
    /// <c>&lt;think&gt;</c>…<c>&lt;/think&gt;</c>), so the block can be closed by writing the closing tag; null for formats
    /// whose reasoning is a channel or a header, or that have none.
    /// </summary>
    public static (string Open, string Close)? ReasoningTagsOf(ToolCallFormat format) =>
        ToolCallFamilies.For(format) is { StartsInBlock: false, Reasoning: { Open: { } open, Close: var close } } ? (open, close) : null;

    /// <summary>True when the rendered prompt leaves the model inside a reasoning block for this format (it ends with the opening tag).</summary>
    public static bool PromptEndsInsideReasoning(ToolCallFormat format, string renderedPrompt)
    {
        var open = ToolCallFamilies.For(format).Reasoning?.Open;
        return open is not null && renderedPrompt.TrimEnd().EndsWith(open, StringComparison.Ordinal);
    }

    /// <summary>Feeds the next decoded piece and returns the events it completes (possibly none).</summary>
    public IReadOnlyList<ChoiceUpdate> Feed(string piece)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        ArgumentNullException.ThrowIfNull(piece);
        var events = new List<ChoiceUpdate>();
        if (piece.Length == 0)
        {
            return events;
        }

        _text += piece;
        Process(final: false, events);
        Compact();
        return events;
    }

    /// <summary>What the whole output was, once <see cref="Complete"/> has run (null before).</summary>
    public ParsedOutput? Result { get; private set; }

    /// <summary>Ends the stream: releases held text, settles open calls and returns the last updates; sets <see cref="Result"/>.</summary>
    public IReadOnlyList<ChoiceUpdate> Complete()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        var events = new List<ChoiceUpdate>();
        Process(final: true, events);
        _completed = true;
        Result = new ParsedOutput(_content.Text, _extractReasoning ? _reasoning.Text : string.Empty, _calls.ToList());
        return events;
    }

    private void Process(bool final, List<ChoiceUpdate> events)
    {
        var guard = 0;
        while (_mode switch
        {
            Mode.Content => StepContent(final, events),
            Mode.Reasoning => StepReasoning(final, events),
            _ => StepBlock(final, events),
        })
        {
            if (++guard > 1_000_000)
            {
                throw new InvalidOperationException("The output parser made no progress.");
            }
        }
    }

    // Returns true when the mode changed and processing should continue.
    private bool StepContent(bool final, List<ChoiceUpdate> events)
    {
        if (_expectReasoningOpen)
        {
            var open = _family.Reasoning!.Open!;
            var at = JsonScanner.SkipWhitespace(_text, _pos);
            switch (ToolCallFamily.LiteralAt(_text, at, open))
            {
                case 1:
                    _expectReasoningOpen = false;
                    _pos = at + open.Length;
                    _mode = Mode.Reasoning;
                    return true;
                case 0 when !final:
                    return false;
                default:
                    _expectReasoningOpen = false;
                    break;
            }
        }

        for (var i = _pos; i < _text.Length; i++)
        {
            var ignored = ToolCallFamily.MatchAny(_text, i, _family.IgnoredMarkers);
            if (ignored == StartMatch.Full)
            {
                _content.Append(_text[_pos..i], events);
                _pos = i + _family.IgnoredMarkers.First(m => ToolCallFamily.LiteralAt(_text, i, m) == 1).Length;
                return true;
            }

            var block = _parseToolCalls ? _family.MatchBlockStart(_text, i) : StartMatch.None;
            if (block == StartMatch.Full)
            {
                _content.Append(_text[_pos..i], events);
                _pos = i;
                EnterBlock(i);
                return true;
            }

            if (!final && (block == StartMatch.Partial || ignored == StartMatch.Partial))
            {
                _content.Append(_text[_pos..i], events);
                _pos = i;
                return false;
            }
        }

        _content.Append(_text[_pos..], events);
        _pos = _text.Length;
        return false;
    }

    private bool StepReasoning(bool final, List<ChoiceUpdate> events)
    {
        var close = _family.Reasoning!.Close;
        var idx = _text.IndexOf(close, _pos, StringComparison.Ordinal);
        if (idx >= 0)
        {
            _reasoning.Append(_text[_pos..idx], events);
            _pos = idx + close.Length;
            _reasoning.Break();
            _content.Break();
            _mode = Mode.Content;
            return true;
        }

        // Hold back a tail that could be the start of the closing tag.
        var keep = 0;
        if (!final)
        {
            for (var k = Math.Min(close.Length - 1, _text.Length - _pos); k > 0; k--)
            {
                if (string.CompareOrdinal(_text, _text.Length - k, close, 0, k) == 0)
                {
                    keep = k;
                    break;
                }
            }
        }

        _reasoning.Append(_text[_pos..(_text.Length - keep)], events);
        _pos = _text.Length - keep;
        return false;
    }

    private bool StepBlock(bool final, List<ChoiceUpdate> events)
    {
        var result = _family.ParseBlock(_text, _blockStart, final, _tools);
        Sync(result.Calls, events);
        switch (result.Status)
        {
            case BlockStatus.Complete:
                SettleBlock(events);
                _pos = Math.Max(result.End, _blockStart + 1);
                _content.Break();
                _mode = result.ThenReasoning && _family.Reasoning is not null ? Mode.Reasoning : Mode.Content;
                return true;
            case BlockStatus.Incomplete when !final:
                return false;
            default:
                var resumeAt = result.Status == BlockStatus.Incomplete ? _text.Length : result.End;
                if (_blockCalls.Count == 0)
                {
                    // Not a call after all: the marker's first character is ordinary content; rescan after it.
                    var width = char.IsHighSurrogate(_text[_blockStart]) && _blockStart + 1 < _text.Length ? 2 : 1;
                    _content.Append(_text.Substring(_blockStart, width), events);
                    _pos = _blockStart + width;
                }
                else
                {
                    SettleBlock(events);
                    _pos = Math.Max(resumeAt, _blockStart + 1);
                    _content.Break();
                }

                _mode = Mode.Content;
                return true;
        }
    }

    private void EnterBlock(int start)
    {
        _blockStart = start;
        _blockCalls.Clear();
        _mode = Mode.Block;
    }

    // Emits start events and argument fragments for whatever the latest parse knows beyond what was sent.
    private void Sync(IReadOnlyList<PartialCall> calls, List<ChoiceUpdate> events)
    {
        for (var i = 0; i < calls.Count; i++)
        {
            var call = calls[i];
            if (i == _blockCalls.Count)
            {
                if (call.Name is null)
                {
                    return;
                }

                var state = new CallState(_nextIndex++, _newId(), call.Name);
                _blockCalls.Add(state);
                events.Add(new ToolCallDelta(state.Index, state.Id, state.Name, string.Empty, _choice));
            }

            var s = _blockCalls[i];
            s.Latest = call;
            if (call.Arguments.Length > s.Sent && string.CompareOrdinal(call.Arguments, 0, s.Arguments, 0, s.Sent) == 0)
            {
                var fragment = call.Arguments[s.Sent..];
                if (!call.ArgumentsComplete && char.IsHighSurrogate(fragment[^1]))
                {
                    fragment = fragment[..^1];
                }

                if (fragment.Length > 0)
                {
                    s.Arguments = call.Arguments[..(s.Sent + fragment.Length)];
                    s.Sent += fragment.Length;
                    events.Add(new ToolCallDelta(s.Index, null, null, fragment, _choice));
                }
            }
        }
    }

    // Records the block's calls: complete arguments that form a JSON object become calls, the rest fail.
    private void SettleBlock(List<ChoiceUpdate> events)
    {
        foreach (var s in _blockCalls)
        {
            var complete = s.Latest is { ArgumentsComplete: true } latest && s.Sent == latest.Arguments.Length;
            if (complete && IsJsonObject(s.Arguments))
            {
                _calls.Add(new ParsedToolCall(s.Index, s.Id, s.Name, s.Arguments));
            }
            else
            {
                events.Add(new ToolCallFailed(s.Index, complete ? "the arguments are not a JSON object" : "the output ended inside the call", _choice));
            }
        }

        _blockCalls.Clear();
    }

    private static bool IsJsonObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // Drops consumed text so re-parsing stays proportional to the open block, not the whole output.
    private void Compact()
    {
        var keepFrom = _mode == Mode.Block ? _blockStart : _pos;
        if (keepFrom == 0 || _expectReasoningOpen)
        {
            return;
        }

        _text = _text[keepFrom..];
        _pos -= keepFrom;
        _blockStart -= keepFrom;
        if (_blockStart < 0)
        {
            _blockStart = 0;
        }
    }

    private static string NewCallId() => "call_" + RandomNumberGenerator.GetString(IdAlphabet, 24);

    private sealed class CallState(int index, string id, string name)
    {
        public int Index { get; } = index;

        public string Id { get; } = id;

        public string Name { get; } = name;

        public string Arguments { get; set; } = string.Empty;

        public int Sent { get; set; }

        public PartialCall? Latest { get; set; }
    }
}

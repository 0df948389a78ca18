using AbstractEndpoint.StructuredOutput.Gbnf;
using AbstractEndpoint.StructuredOutput.Parsing;
using AbstractEndpoint.StructuredOutput.Tools;
using static AbstractEndpoint.StructuredOutput.Tools.ToolGrammarContext;

namespace AbstractEndpoint.StructuredOutput.Formats;

/// <summary>
/// gpt-oss "harmony": messages are <c>[&lt;|start|&gt;assistant][ to=R]&lt;|channel|&gt;C[ to=R][ &lt;|constrain|&gt;json]&lt;|message|&gt;body</c>.
/// Channel <c>analysis</c> is reasoning (up to <c>&lt;|end|&gt;</c>), <c>final</c> and plain <c>commentary</c> are
/// content, and a recipient <c>functions.NAME</c> makes the body a call's JSON arguments. The prompt ends with
/// <c>&lt;|start|&gt;assistant</c>, so the output starts inside the first header.
/// </summary>
internal sealed class GptOssFamily : ToolCallFamily
{
    public const string Start = "<|start|>";
    public const string Channel = "<|channel|>";
    public const string Constrain = "<|constrain|>";
    public const string Message = "<|message|>";
    public const string End = "<|end|>";
    public const string Call = "<|call|>";
    public const string Return = "<|return|>";

    private static readonly string[] HeaderOpeners = [Channel, " to=", "to=", "assistant", Start];

    public override ToolCallFormat Format => ToolCallFormat.GptOss;

    public override bool Detects(string template) => Has(template, Channel) && Has(template, Message);

    // <|call|> ends generation (an end-of-generation token), so the grammar stops after the arguments and one
    // call is all a single generation can hold.
    public override FormatGrammar Grammar { get; } = new FormatGrammar(
        (c, t, _) => c.AnyCall(t, x => GbnfExpr.Seq(
            GbnfExpr.Alt(
                Lit(Channel + "commentary to=functions." + x.Name),
                Lit(" to=functions." + x.Name + Channel + "commentary")),
            GbnfExpr.Opt(GbnfExpr.Alt(Lit(" " + Constrain + "json"), Lit(" json"))),
            Lit(Message), c.Arguments(x))),
        t => [ToolCallGrammar.RegexEscape(Channel + "commentary to=functions.") + FormatGrammar.NameAlternatives(t) + "[ <]", " to=functions\\." + FormatGrammar.NameAlternatives(t) + "<"],
        [Channel + "commentary to=functions.", " to=functions."],
        (c, _, _) => GbnfExpr.Opt(GbnfExpr.Seq(
            Lit(Channel + "analysis" + Message), c.Until(End, "analysis"),
            Lit(End + Start + "assistant"))));

    public override ReasoningTags? Reasoning { get; } = new(null, End);

    public override bool StartsInBlock => true;

    public override IReadOnlyList<string> BlockMarkers { get; } = [Start, Channel];

    public override IReadOnlyList<string> IgnoredMarkers { get; } = [End, Return, Call];

    public override BlockResult ParseBlock(string s, int start, bool final, ToolCatalog tools)
    {
        var pos = start;
        switch (LiteralAt(s, pos, Start))
        {
            case 1:
                pos += Start.Length;
                break;
            case 0 when pos < s.Length:
                return BlockResult.Incomplete();
        }

        var idx = s.IndexOf(Message, pos, StringComparison.Ordinal);
        var header = s[pos..(idx < 0 ? s.Length : idx)];
        if (!HeaderLooksValid(header) || (idx >= 0 && !header.Contains(Channel, StringComparison.Ordinal)))
        {
            return BlockResult.NotABlock(start);
        }

        if (idx < 0)
        {
            return BlockResult.Incomplete();
        }

        var channel = Word(header, header.IndexOf(Channel, StringComparison.Ordinal), Channel.Length);
        var toAt = header.IndexOf("to=", StringComparison.Ordinal);
        var recipient = Word(header, toAt, 3);
        pos = idx + Message.Length;

        if (recipient is not null && recipient.StartsWith("functions.", StringComparison.Ordinal))
        {
            var name = recipient["functions.".Length..];
            var p = JsonScanner.SkipWhitespace(s, pos);
            if (p >= s.Length)
            {
                return BlockResult.Incomplete();
            }

            if (s[p] != '{')
            {
                return BlockResult.NotABlock(start);
            }

            var (status, end) = JsonScanner.ScanValue(s, p);
            var call = new PartialCall(name, s[p..end], status == ScanStatus.Complete);
            if (status != ScanStatus.Complete)
            {
                return BlockResult.FromScan(status, end, [call]);
            }

            var after = JsonScanner.SkipWhitespace(s, end);
            return LiteralAt(s, after, Call) switch
            {
                1 => BlockResult.Complete(after + Call.Length, call),
                0 when !final => BlockResult.Incomplete(call),
                _ => BlockResult.Complete(end, call),
            };
        }

        return new BlockResult(BlockStatus.Complete, pos, [], ThenReasoning: channel == "analysis");
    }

    // A header is short and made of its few known pieces; anything else means the model is not speaking harmony.
    private static bool HeaderLooksValid(string header)
    {
        if (header.Length > 256)
        {
            return false;
        }

        // Judged on a prefix, so anything that could still grow into a header (or into the message marker) passes.
        if (header.Length > 0 && !HeaderOpeners.Append(Message).Any(o => header.StartsWith(o, StringComparison.Ordinal) || o.StartsWith(header, StringComparison.Ordinal)))
        {
            return false;
        }

        for (var i = 0; i < header.Length; i++)
        {
            var c = header[i];
            if (c == '<')
            {
                var ok = false;
                foreach (var marker in new[] { Channel, Constrain, Message })
                {
                    var m = LiteralAt(header, i, marker);
                    if (m == 1)
                    {
                        i += marker.Length - 1;
                        ok = true;
                        break;
                    }

                    if (m == 0)
                    {
                        return true;
                    }
                }

                if (!ok)
                {
                    return false;
                }
            }
            else if (!(IsNameChar(c) || c is ' ' or '='))
            {
                return false;
            }
        }

        return true;
    }

    private static string? Word(string header, int at, int skip)
    {
        if (at < 0)
        {
            return null;
        }

        var from = at + skip;
        var to = from;
        while (to < header.Length && header[to] is not (' ' or '<'))
        {
            to++;
        }

        return header[from..to];
    }
}

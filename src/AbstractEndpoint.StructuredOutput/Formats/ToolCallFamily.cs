using AbstractEndpoint.StructuredOutput.Parsing;
using AbstractEndpoint.StructuredOutput.Tools;

namespace AbstractEndpoint.StructuredOutput.Formats;

/// <summary>
/// One model family's tool-call markup, whole: how its chat template gives it away (<see cref="Detects"/>), the
/// grammar that makes the model write well-formed calls (<see cref="Grammar"/>), and how to read its output as it
/// streams: where tool-call blocks start and how to read them from a prefix of the output. Parsers are pure functions of (text, block start, final) so the streaming driver can re-run them on
/// every piece. Their verdicts must not depend on where the text was cut: a call is reported only once its
/// arguments have begun and is then reported by every later parse (complete, incomplete or broken), its arguments
/// only grow, and text judged "not a block" stays so however it continues.
/// </summary>
internal abstract class ToolCallFamily
{
    /// <summary>The family's public name (as logged and as callers choose it).</summary>
    public abstract ToolCallFormat Format { get; }

    /// <summary>The call grammar, its lazy triggers and what may precede a forced call.</summary>
    public abstract FormatGrammar Grammar { get; }

    /// <summary>
    /// Whether a chat template's source shows this family's markup (what the template writes when it renders
    /// assistant tool calls, or describes in its system prompt). Checked in <see cref="ToolCallFamilies.All"/> order,
    /// so a family may match markup that a more specific family listed before it also contains.
    /// </summary>
    public abstract bool Detects(string template);

    public virtual ReasoningTags? Reasoning => ReasoningTags.Think;

    /// <summary>True when the prompt leaves the model inside a block header (Functionary v3.2's <c>&gt;&gt;&gt;</c>, gpt-oss's <c>&lt;|start|&gt;assistant</c>).</summary>
    public virtual bool StartsInBlock => false;

    /// <summary>Literal markers that open a block.</summary>
    public virtual IReadOnlyList<string> BlockMarkers => [];

    /// <summary>Markup that is dropped from content wherever it appears (response wrappers, end-of-message tags).</summary>
    public virtual IReadOnlyList<string> IgnoredMarkers => [];

    public virtual StartMatch MatchBlockStart(string s, int i) => MatchAny(s, i, BlockMarkers);

    /// <summary>Parses the block starting at <paramref name="start"/>; with <paramref name="final"/> no more text will come.</summary>
    public abstract BlockResult ParseBlock(string s, int start, bool final, ToolCatalog tools);

    public static StartMatch MatchAny(string s, int i, IReadOnlyList<string> markers)
    {
        var best = StartMatch.None;
        foreach (var marker in markers)
        {
            switch (LiteralAt(s, i, marker))
            {
                case 1:
                    return StartMatch.Full;
                case 0:
                    best = StartMatch.Partial;
                    break;
            }
        }

        return best;
    }

    /// <summary>1 when <paramref name="literal"/> is at <paramref name="pos"/>; 0 when the text ends inside a prefix of it; -1 otherwise.</summary>
    public static int LiteralAt(string s, int pos, string literal)
    {
        var available = s.Length - pos;
        if (available >= literal.Length)
        {
            return string.CompareOrdinal(s, pos, literal, 0, literal.Length) == 0 ? 1 : -1;
        }

        return string.CompareOrdinal(s, pos, literal, 0, available) == 0 ? 0 : -1;
    }

    /// <summary>Reads characters allowed by <paramref name="allowed"/> until <paramref name="terminator"/>.</summary>
    /// <returns>The text and the position after the terminator; null text when more input is needed; <c>End == -1</c> on a bad character.</returns>
    public static (string? Text, int End) ReadUntil(string s, int pos, string terminator, Func<char, bool> allowed, int maxLength = 256)
    {
        var idx = s.IndexOf(terminator, pos, StringComparison.Ordinal);
        var limit = idx < 0 ? s.Length : idx;
        for (var k = pos; k < limit; k++)
        {
            if (!allowed(s[k]) || k - pos >= maxLength)
            {
                // A terminator may be arriving: only a bad character before any partial terminator is fatal.
                if (idx < 0 && LiteralAt(s, k, terminator) == 0)
                {
                    return (null, 0);
                }

                return (null, -1);
            }
        }

        return idx < 0 ? (null, 0) : (s[pos..idx], idx + terminator.Length);
    }

    protected static bool Has(string template, string marker) => template.Contains(marker, StringComparison.Ordinal);

    public static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ':';
}

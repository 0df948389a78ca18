using System.Globalization;
using System.Text;
using AbstractEndpoint.StructuredOutput.Gbnf;

namespace AbstractEndpoint.StructuredOutput.Schema;

/// <summary>
/// Translates the practical subset of ECMA-262 regular expressions used in JSON Schema <c>pattern</c> into a GBNF
/// expression over the JSON-encoded string content: literals and escapes, classes (with ranges, negation and
/// \d \w \s), <c>.</c>, groups (capturing, non-capturing, named), alternation, the quantifiers * + ? {n} {n,} {n,m}
/// (lazy forms mean the same language), and ^ / $ at the ends of top-level alternatives. As in JSON Schema, an
/// unanchored side matches anything. Backreferences, lookaround, word boundaries, Unicode properties and inline
/// flags are rejected with a <see cref="SchemaConversionException"/>.
/// </summary>
internal sealed class PatternTranslator
{
    private const int MaxCodePoint = 0x10FFFF;

    private readonly string _pattern;
    private readonly string _path;
    private readonly GbnfBuilder _builder;
    private int _pos;

    private PatternTranslator(GbnfBuilder builder, string pattern, string path)
    {
        _builder = builder;
        _pattern = pattern;
        _path = path;
    }

    /// <summary>A GBNF expression for a complete quoted JSON string whose value matches <paramref name="pattern"/>.</summary>
    public static string Translate(GbnfBuilder builder, string pattern, string path)
    {
        var t = new PatternTranslator(builder, pattern, path);
        var ast = t.ParseAlternation();
        if (t._pos < pattern.Length)
        {
            throw t.Error("unbalanced ')'");
        }

        var body = t.Emit(ast, topLevel: true);
        return GbnfExpr.Seq("\"\\\"\"", GbnfExpr.Group(body.Length == 0 ? "\"\"" : body), "\"\\\"\"");
    }

    private SchemaConversionException Error(string what) =>
        new("Unsupported or invalid 'pattern' /" + _pattern + "/: " + what, _path);

    // ---- parsing -------------------------------------------------------------------------------------------------

    private Node ParseAlternation()
    {
        var branches = new List<Node> { ParseSequence() };
        while (_pos < _pattern.Length && _pattern[_pos] == '|')
        {
            _pos++;
            branches.Add(ParseSequence());
        }

        return branches.Count == 1 ? branches[0] : new AltNode(branches);
    }

    private SeqNode ParseSequence()
    {
        var items = new List<Node>();
        while (_pos < _pattern.Length && _pattern[_pos] != '|' && _pattern[_pos] != ')')
        {
            var atom = ParseAtom();
            items.Add(ParseQuantifiers(atom));
        }

        return new SeqNode(items);
    }

    private Node ParseQuantifiers(Node atom)
    {
        if (_pos >= _pattern.Length)
        {
            return atom;
        }

        int min;
        int? max;
        var c = _pattern[_pos];
        switch (c)
        {
            case '*': (min, max) = (0, null); _pos++; break;
            case '+': (min, max) = (1, null); _pos++; break;
            case '?': (min, max) = (0, 1); _pos++; break;
            case '{' when TryParseBraces(out var bmin, out var bmax): (min, max) = (bmin, bmax); break;
            default: return atom;
        }

        if (atom is AnchorNode)
        {
            throw Error("a quantifier cannot apply to an anchor");
        }

        if (_pos < _pattern.Length && _pattern[_pos] == '?')
        {
            _pos++; // lazy: same language
        }

        if (_pos < _pattern.Length && (_pattern[_pos] is '*' or '+' or '?' || (_pattern[_pos] == '{' && LooksLikeBraces())))
        {
            throw Error("nested quantifier at offset " + _pos.ToString(CultureInfo.InvariantCulture));
        }

        if (max < min)
        {
            throw Error("quantifier {" + min.ToString(CultureInfo.InvariantCulture) + "," + max.Value.ToString(CultureInfo.InvariantCulture) + "} has max < min");
        }

        return new RepeatNode(atom, min, max);
    }

    private bool LooksLikeBraces()
    {
        var save = _pos;
        var ok = TryParseBraces(out _, out _);
        _pos = save;
        return ok;
    }

    private bool TryParseBraces(out int min, out int? max)
    {
        min = 0;
        max = null;
        var start = _pos;
        var end = _pattern.IndexOf('}', start);
        if (end < 0)
        {
            return false;
        }

        var inner = _pattern[(start + 1)..end];
        var comma = inner.IndexOf(',', StringComparison.Ordinal);
        var inv = CultureInfo.InvariantCulture;
        if (comma < 0)
        {
            if (!int.TryParse(inner, NumberStyles.None, inv, out min))
            {
                return false;
            }

            max = min;
        }
        else
        {
            if (!int.TryParse(inner[..comma], NumberStyles.None, inv, out min))
            {
                return false;
            }

            var hi = inner[(comma + 1)..];
            if (hi.Length > 0)
            {
                if (!int.TryParse(hi, NumberStyles.None, inv, out var m))
                {
                    return false;
                }

                max = m;
            }
        }

        _pos = end + 1;
        return true;
    }

    private Node ParseAtom()
    {
        var c = _pattern[_pos];
        switch (c)
        {
            case '(':
                _pos++;
                if (_pos < _pattern.Length && _pattern[_pos] == '?')
                {
                    if (Peek("?:"))
                    {
                        _pos += 2;
                    }
                    else if (Peek("?<") && !Peek("?<=") && !Peek("?<!"))
                    {
                        SkipGroupName();
                    }
                    else if (Peek("?P<"))
                    {
                        SkipGroupName();
                    }
                    else
                    {
                        throw Error("lookaround and inline flags such as '(" + _pattern[_pos..Math.Min(_pattern.Length, _pos + 3)] + "' are not supported");
                    }
                }

                var inner = ParseAlternation();
                if (_pos >= _pattern.Length || _pattern[_pos] != ')')
                {
                    throw Error("missing ')'");
                }

                _pos++;
                return new GroupNode(inner);
            case '[':
                return ParseClass();
            case '.':
                _pos++;
                return new SetNode(Complement([('\n', '\n'), ('\r', '\r'), (0x2028, 0x2029)]));
            case '^':
                _pos++;
                return new AnchorNode(true);
            case '$':
                _pos++;
                return new AnchorNode(false);
            case '\\':
                return ParseEscape(inClass: false) is { } set ? set : throw Error("bad escape");
            case '*' or '+' or '?':
                throw Error("nothing to repeat at offset " + _pos.ToString(CultureInfo.InvariantCulture));
            case '{' when LooksLikeBraces():
                throw Error("nothing to repeat at offset " + _pos.ToString(CultureInfo.InvariantCulture));
            default:
                var rune = Rune.GetRuneAt(_pattern, _pos);
                _pos += rune.Utf16SequenceLength;
                return new SetNode([(rune.Value, rune.Value)]);
        }
    }

    private void SkipGroupName()
    {
        var close = _pattern.IndexOf('>', _pos);
        if (close < 0)
        {
            throw Error("unterminated group name");
        }

        _pos = close + 1;
    }

    private bool Peek(string s) => string.CompareOrdinal(_pattern, _pos, s, 0, s.Length) == 0;

    private SetNode ParseClass()
    {
        _pos++; // [
        var negated = false;
        if (_pos < _pattern.Length && _pattern[_pos] == '^')
        {
            negated = true;
            _pos++;
        }

        var ranges = new List<(int, int)>();
        var first = true;
        while (true)
        {
            if (_pos >= _pattern.Length)
            {
                throw Error("missing ']'");
            }

            if (_pattern[_pos] == ']' && !first)
            {
                _pos++;
                break;
            }

            if (_pattern[_pos] == ']' && first)
            {
                // "[]" matches nothing and "[^]" anything in ECMAScript; neither is useful in a schema.
                throw Error("empty character class");
            }

            first = false;
            var lo = ClassAtom(out var loSet);
            if (loSet is not null)
            {
                ranges.AddRange(loSet);
                continue;
            }

            if (_pos + 1 < _pattern.Length && _pattern[_pos] == '-' && _pattern[_pos + 1] != ']')
            {
                _pos++;
                var hi = ClassAtom(out var hiSet);
                if (hiSet is not null)
                {
                    throw Error("a class escape cannot end a range");
                }

                if (hi < lo)
                {
                    throw Error("range out of order in character class");
                }

                ranges.Add((lo, hi));
            }
            else
            {
                ranges.Add((lo, lo));
            }
        }

        var normalized = Normalize(ranges);
        return new SetNode(negated ? Complement(normalized) : normalized);
    }

    // One class member: a code point (returned) or a class escape such as \d (set returned in 'set').
    private int ClassAtom(out List<(int, int)>? set)
    {
        set = null;
        if (_pattern[_pos] == '\\')
        {
            var node = ParseEscape(inClass: true)!;
            if (node.Ranges.Count == 1 && node.Ranges[0].From == node.Ranges[0].To && !node.IsClassEscape)
            {
                return node.Ranges[0].From;
            }

            set = node.Ranges;
            return -1;
        }

        var rune = Rune.GetRuneAt(_pattern, _pos);
        _pos += rune.Utf16SequenceLength;
        return rune.Value;
    }

    private SetNode? ParseEscape(bool inClass)
    {
        _pos++; // backslash
        if (_pos >= _pattern.Length)
        {
            throw Error("trailing backslash");
        }

        var c = _pattern[_pos++];
        switch (c)
        {
            case 'd': return new SetNode(Digit, true);
            case 'D': return new SetNode(Complement(Digit), true);
            case 'w': return new SetNode(Word, true);
            case 'W': return new SetNode(Complement(Word), true);
            // Engines disagree on \s (ECMA-262: Unicode spaces; .NET's ECMAScript mode: ASCII only), so \s takes the
            // ASCII set and \S excludes the Unicode set: every choice matches under both readings.
            case 's': return new SetNode(AsciiSpace, true);
            case 'S': return new SetNode(Complement(Space), true);
            case 'n': return Single('\n');
            case 'r': return Single('\r');
            case 't': return Single('\t');
            case 'f': return Single('\f');
            case 'v': return Single('\v');
            case 'b' when inClass: return Single('\b');
            case 'b' or 'B': throw Error("word boundaries (\\b, \\B) are not supported");
            case 'p' or 'P': throw Error("Unicode property escapes are not supported");
            case 'k': throw Error("named backreferences are not supported");
            case >= '1' and <= '9': throw Error("backreferences are not supported");
            case '0': return Single('\0');
            case 'c': throw Error("control escapes (\\c) are not supported");
            case 'x': return Single(Hex(2));
            case 'u':
                if (_pos < _pattern.Length && _pattern[_pos] == '{')
                {
                    var close = _pattern.IndexOf('}', _pos);
                    if (close < 0)
                    {
                        throw Error("bad \\u{...} escape");
                    }

                    var cp = int.Parse(_pattern.AsSpan(_pos + 1, close - _pos - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    _pos = close + 1;
                    return Single(cp);
                }

                var u = Hex(4);
                if (char.IsHighSurrogate((char)u) && Peek("\\u"))
                {
                    _pos += 2;
                    var low = Hex(4);
                    return Single(char.ConvertToUtf32((char)u, (char)low));
                }

                return Single(u);
            default:
                if (char.IsAsciiLetterOrDigit(c))
                {
                    throw Error("unknown escape \\" + c);
                }

                if (char.IsHighSurrogate(c) && _pos < _pattern.Length)
                {
                    return Single(char.ConvertToUtf32(c, _pattern[_pos++]));
                }

                return Single(c);
        }
    }

    private int Hex(int digits)
    {
        if (_pos + digits > _pattern.Length
            || !int.TryParse(_pattern.AsSpan(_pos, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var v))
        {
            throw Error("bad hex escape");
        }

        _pos += digits;
        return v;
    }

    private static SetNode Single(int cp) => new([(cp, cp)]);

    private static readonly List<(int From, int To)> Digit = [('0', '9')];
    private static readonly List<(int From, int To)> Word = [('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];
    private static readonly List<(int From, int To)> AsciiSpace = [('\t', '\r'), (' ', ' ')];
    private static readonly List<(int From, int To)> Space = Normalize(
        [('\t', '\r'), (' ', ' '), (0xA0, 0xA0), (0x1680, 0x1680), (0x2000, 0x200A), (0x2028, 0x2029), (0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000), (0xFEFF, 0xFEFF)]);

    internal static List<(int From, int To)> Normalize(IEnumerable<(int From, int To)> ranges)
    {
        var sorted = ranges.OrderBy(r => r.From).ThenBy(r => r.To).ToList();
        var result = new List<(int From, int To)>();
        foreach (var r in sorted)
        {
            if (result.Count > 0 && r.From <= result[^1].To + 1)
            {
                result[^1] = (result[^1].From, Math.Max(result[^1].To, r.To));
            }
            else
            {
                result.Add(r);
            }
        }

        return result;
    }

    internal static List<(int From, int To)> Complement(List<(int From, int To)> ranges)
    {
        var result = new List<(int From, int To)>();
        var next = 0;
        foreach (var (from, to) in Normalize(ranges))
        {
            if (from > next)
            {
                result.Add((next, from - 1));
            }

            next = to + 1;
        }

        if (next <= MaxCodePoint)
        {
            result.Add((next, MaxCodePoint));
        }

        return result;
    }

    // ---- emission ------------------------------------------------------------------------------------------------

    private string Emit(Node node, bool topLevel)
    {
        if (topLevel)
        {
            var branches = node is AltNode alt ? alt.Branches : [node];
            return GbnfExpr.Alt(branches.Select(EmitTopBranch));
        }

        return node switch
        {
            AltNode a => GbnfExpr.Alt(a.Branches.Select(x => Emit(x, false))),
            SeqNode s => EmitSequence(s.Items),
            GroupNode g => GbnfExpr.Group(Emit(g.Inner, false) is { Length: > 0 } e ? e : "\"\""),
            RepeatNode r => GbnfExpr.Repeat(Emit(r.Inner, false) is { Length: > 0 } e ? e : "\"\"", r.Min, r.Max),
            SetNode set => EmitSet(set.Ranges) is var e && GbnfExpr.IsAtom(e) ? e : _builder.Add("pattern-char", e),
            AnchorNode => throw Error("'^' and '$' are only supported at the start and end of the pattern"),
            _ => throw new InvalidOperationException(),
        };
    }

    private string EmitTopBranch(Node branch)
    {
        var items = branch is SeqNode s ? s.Items.ToList() : [branch];
        var anchoredStart = items.Count > 0 && items[0] is AnchorNode { IsStart: true };
        if (anchoredStart)
        {
            items.RemoveAt(0);
        }

        var anchoredEnd = items.Count > 0 && items[^1] is AnchorNode { IsStart: false };
        if (anchoredEnd)
        {
            items.RemoveAt(items.Count - 1);
        }

        var body = EmitSequence(items);
        return GbnfExpr.Seq(anchoredStart ? string.Empty : JsonPrimitives.Char(_builder) + "*", body, anchoredEnd ? string.Empty : JsonPrimitives.Char(_builder) + "*");
    }

    private string EmitSequence(IReadOnlyList<Node> items)
    {
        var parts = new List<string>();
        var literal = new StringBuilder();
        foreach (var item in items)
        {
            if (item is SetNode { Ranges: [var only] } && only.From == only.To)
            {
                literal.Append(JsonEncode(only.From));
                continue;
            }

            Flush();
            parts.Add(Emit(item, false));
        }

        Flush();
        return GbnfExpr.Seq([.. parts]);

        void Flush()
        {
            if (literal.Length > 0)
            {
                parts.Add(GbnfText.Literal(literal.ToString()));
                literal.Clear();
            }
        }
    }

    // A set of decoded characters becomes raw characters plus the JSON escapes for the characters that cannot be raw.
    private static string EmitSet(List<(int From, int To)> ranges)
    {
        var forbidden = Normalize([('"', '"'), ('\\', '\\'), (0, 0x1F), (0xD800, 0xDFFF)]);
        var raw = Subtract(ranges, forbidden);
        var options = new List<string>();
        var coversTop = ranges.Count > 0 && ranges[^1].To == MaxCodePoint;
        if (raw.Count > 0)
        {
            options.Add(coversTop
                ? GbnfText.CharClass(Normalize(Complement(raw).Concat(forbidden)).Where(r => r.From <= MaxCodePoint), negated: true)
                : GbnfText.CharClass(raw));
        }

        foreach (var special in new[] { '"', '\\', '\n', '\r', '\t', '\b', '\f' })
        {
            if (Contains(ranges, special))
            {
                options.Add(GbnfText.Literal(JsonEncode(special)));
            }
        }

        if (options.Count == 0)
        {
            // Only control characters other than the named escapes: not worth spelling as \u escapes.
            throw new SchemaConversionException("A 'pattern' character class matches no encodable character.");
        }

        return GbnfExpr.Alt(options);
    }

    private static bool Contains(List<(int From, int To)> ranges, int cp) => ranges.Exists(r => r.From <= cp && cp <= r.To);

    private static List<(int From, int To)> Subtract(List<(int From, int To)> a, List<(int From, int To)> b)
    {
        var complementB = Complement(b);
        var result = new List<(int From, int To)>();
        foreach (var (af, at) in a)
        {
            foreach (var (bf, bt) in complementB)
            {
                var f = Math.Max(af, bf);
                var t = Math.Min(at, bt);
                if (f <= t)
                {
                    result.Add((f, t));
                }
            }
        }

        return Normalize(result);
    }

    private static string JsonEncode(int cp) => cp switch
    {
        '"' => "\\\"",
        '\\' => "\\\\",
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        '\b' => "\\b",
        '\f' => "\\f",
        < 0x20 => "\\u" + cp.ToString("x4", CultureInfo.InvariantCulture),
        _ => char.ConvertFromUtf32(cp),
    };

    private abstract record Node;

    private sealed record AltNode(List<Node> Branches) : Node;

    private sealed record SeqNode(List<Node> Items) : Node;

    private sealed record GroupNode(Node Inner) : Node;

    private sealed record RepeatNode(Node Inner, int Min, int? Max) : Node;

    private sealed record AnchorNode(bool IsStart) : Node;

    private sealed record SetNode(List<(int From, int To)> Ranges, bool IsClassEscape = false) : Node;
}

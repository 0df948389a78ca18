using System.Globalization;
using System.Text;

namespace AbstractEndpoint.StructuredOutput.Tests.Gbnf;

/// <summary>
/// A small, independent reader of llama.cpp's GBNF dialect (rules, literals, classes, '.', groups, * + ? {m,n}),
/// written for the tests so the grammars we emit can be checked without llama.cpp: it rejects syntax llama.cpp
/// would reject (unknown escapes, undefined rules) and feeds the recognizer and the sampler.
/// </summary>
internal sealed class GbnfGrammar
{
    private readonly string _src;
    private int _pos;

    private GbnfGrammar(string src)
    {
        _src = src;
    }

    public Dictionary<string, Expr> Rules { get; } = new(StringComparer.Ordinal);

    public static GbnfGrammar Parse(string text)
    {
        var g = new GbnfGrammar(text);
        g.ParseAll();
        foreach (var (name, expr) in g.Rules)
        {
            foreach (var reference in References(expr))
            {
                if (!g.Rules.ContainsKey(reference))
                {
                    throw new FormatException("Rule '" + name + "' references undefined rule '" + reference + "'");
                }
            }
        }

        return g;
    }

    private static IEnumerable<string> References(Expr e) => e switch
    {
        Ref r => [r.Name],
        Alt a => a.Options.SelectMany(References),
        Seq s => s.Items.SelectMany(References),
        Repeat r => References(r.Inner),
        _ => [],
    };

    private void ParseAll()
    {
        SkipSpace(newlines: true);
        while (_pos < _src.Length)
        {
            var name = ParseName();
            SkipSpace(newlines: false);
            Expect("::=");
            SkipSpace(newlines: true);
            var body = ParseAlt(nested: false);
            if (!Rules.TryAdd(name, body))
            {
                throw new FormatException("Rule '" + name + "' defined twice");
            }

            SkipSpace(newlines: true);
        }
    }

    private Expr ParseAlt(bool nested)
    {
        var options = new List<Expr> { ParseSeq(nested) };
        while (_pos < _src.Length && _src[_pos] == '|')
        {
            _pos++;
            SkipSpace(newlines: true);
            options.Add(ParseSeq(nested));
        }

        return options.Count == 1 ? options[0] : new Alt(options);
    }

    private Seq ParseSeq(bool nested)
    {
        var items = new List<Expr>();
        while (_pos < _src.Length)
        {
            SkipSpace(newlines: nested);
            if (_pos >= _src.Length)
            {
                break;
            }

            var c = _src[_pos];
            if (c is '|' or ')' or '\n' or '\r')
            {
                break;
            }

            Expr atom;
            switch (c)
            {
                case '"':
                    _pos++;
                    var cps = new List<int>();
                    while (_src[_pos] != '"')
                    {
                        cps.Add(ParseChar());
                    }

                    _pos++;
                    atom = new Lit([.. cps]);
                    break;
                case '[':
                    _pos++;
                    var negated = false;
                    if (_src[_pos] == '^')
                    {
                        negated = true;
                        _pos++;
                    }

                    var ranges = new List<(int, int)>();
                    while (_src[_pos] != ']')
                    {
                        var lo = ParseChar();
                        var hi = lo;
                        if (_src[_pos] == '-' && _src[_pos + 1] != ']')
                        {
                            _pos++;
                            hi = ParseChar();
                        }

                        ranges.Add((lo, hi));
                    }

                    _pos++;
                    atom = new Cls([.. ranges], negated);
                    break;
                case '.':
                    _pos++;
                    atom = new Cls([], true);
                    break;
                case '(':
                    _pos++;
                    SkipSpace(newlines: true);
                    atom = ParseAlt(nested: true);
                    SkipSpace(newlines: true);
                    Expect(")");
                    break;
                default:
                    if (!IsNameChar(c))
                    {
                        throw new FormatException("Unexpected '" + c + "' at " + _pos.ToString(CultureInfo.InvariantCulture));
                    }

                    atom = new Ref(ParseName());
                    break;
            }

            items.Add(ParseQuantifier(atom));
        }

        return new Seq(items);
    }

    private Expr ParseQuantifier(Expr atom)
    {
        if (_pos >= _src.Length)
        {
            return atom;
        }

        switch (_src[_pos])
        {
            case '*': _pos++; return new Repeat(atom, 0, null);
            case '+': _pos++; return new Repeat(atom, 1, null);
            case '?': _pos++; return new Repeat(atom, 0, 1);
            case '{':
                var end = _src.IndexOf('}', _pos);
                var inner = _src[(_pos + 1)..end];
                _pos = end + 1;
                var comma = inner.IndexOf(',', StringComparison.Ordinal);
                if (comma < 0)
                {
                    var n = int.Parse(inner, CultureInfo.InvariantCulture);
                    return new Repeat(atom, n, n);
                }

                var min = int.Parse(inner[..comma], CultureInfo.InvariantCulture);
                int? max = comma == inner.Length - 1 ? null : int.Parse(inner[(comma + 1)..], CultureInfo.InvariantCulture);
                return new Repeat(atom, min, max);
            default:
                return atom;
        }
    }

    private int ParseChar()
    {
        var c = _src[_pos];
        if (c != '\\')
        {
            var rune = Rune.GetRuneAt(_src, _pos);
            _pos += rune.Utf16SequenceLength;
            return rune.Value;
        }

        var e = _src[_pos + 1];
        _pos += 2;
        switch (e)
        {
            case 'x': return Hex(2);
            case 'u': return Hex(4);
            case 'U': return Hex(8);
            case 't': return '\t';
            case 'r': return '\r';
            case 'n': return '\n';
            case '\\' or '"' or '[' or ']': return e;
            default: throw new FormatException("Unknown escape \\" + e + " at " + _pos.ToString(CultureInfo.InvariantCulture));
        }
    }

    private int Hex(int n)
    {
        var v = int.Parse(_src.AsSpan(_pos, n), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        _pos += n;
        return v;
    }

    private string ParseName()
    {
        var start = _pos;
        while (_pos < _src.Length && IsNameChar(_src[_pos]))
        {
            _pos++;
        }

        if (_pos == start)
        {
            throw new FormatException("Expected a rule name at " + start.ToString(CultureInfo.InvariantCulture));
        }

        return _src[start.._pos];
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '-';

    private void Expect(string s)
    {
        if (string.CompareOrdinal(_src, _pos, s, 0, s.Length) != 0)
        {
            throw new FormatException("Expected '" + s + "' at " + _pos.ToString(CultureInfo.InvariantCulture));
        }

        _pos += s.Length;
    }

    private void SkipSpace(bool newlines)
    {
        while (_pos < _src.Length)
        {
            var c = _src[_pos];
            if (c == '#')
            {
                while (_pos < _src.Length && _src[_pos] != '\n')
                {
                    _pos++;
                }
            }
            else if (c is ' ' or '\t' || (newlines && c is '\n' or '\r'))
            {
                _pos++;
            }
            else
            {
                break;
            }
        }
    }

    internal abstract record Expr;

    internal sealed record Lit(int[] CodePoints) : Expr;

    internal sealed record Cls((int From, int To)[] Ranges, bool Negated) : Expr
    {
        public bool Matches(int cp)
        {
            var inside = Array.Exists(Ranges, r => r.From <= cp && cp <= r.To);
            return inside != Negated;
        }
    }

    internal sealed record Ref(string Name) : Expr;

    internal sealed record Alt(List<Expr> Options) : Expr;

    internal sealed record Seq(List<Expr> Items) : Expr;

    internal sealed record Repeat(Expr Inner, int Min, int? Max) : Expr;
}

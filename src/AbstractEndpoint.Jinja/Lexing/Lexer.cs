using System.Globalization;
using System.Numerics;
using AbstractEndpoint.Python;

namespace AbstractEndpoint.Jinja.Lexing;

/// <summary>
/// Splits template source into tokens exactly as Jinja2's regex lexer does, including the whitespace rules that decide
/// the rendered bytes: <c>-</c>/<c>+</c> markers, <c>trim_blocks</c> (drop the newline after a block tag) and
/// <c>lstrip_blocks</c> (drop the indentation before a block tag that starts a line).
/// </summary>
internal sealed class Lexer
{
    private readonly string _source;
    private readonly bool _trimBlocks;
    private readonly bool _lstripBlocks;
    private readonly List<Token> _tokens = [];

    // One string instance per distinct name, so scope lookups usually succeed on reference equality.
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private int _pos;
    private int _line = 1;
    private bool _lineStarting = true;

    private Lexer(string source, bool trimBlocks, bool lstripBlocks)
    {
        _source = source;
        _trimBlocks = trimBlocks;
        _lstripBlocks = lstripBlocks;
    }

    public static List<Token> Tokenize(string source, bool trimBlocks, bool lstripBlocks, bool keepTrailingNewline)
    {
        var lexer = new Lexer(NormalizeNewlines(source, keepTrailingNewline), trimBlocks, lstripBlocks);
        lexer.Run();
        lexer._tokens.Add(new Token(TokenKind.Eof, lexer._line, string.Empty));
        return lexer._tokens;
    }

    /// <summary>Every line break becomes <c>\n</c>, and one trailing newline is dropped, as Jinja2 does by default.</summary>
    private static string NormalizeNewlines(string source, bool keepTrailingNewline)
    {
        if (source.Contains('\r', StringComparison.Ordinal))
        {
            source = source.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        }

        if (!keepTrailingNewline && source.EndsWith('\n'))
        {
            source = source[..^1];
        }

        return source;
    }

    private void Run()
    {
        var length = _source.Length;
        while (_pos < length)
        {
            var tagAt = FindTagStart(_pos);
            if (tagAt < 0)
            {
                EmitData(_source[_pos..], _source.Length);
                return;
            }

            var kind = _source[tagAt + 1];
            var afterOpen = tagAt + 2;
            var sign = afterOpen < length && _source[afterOpen] is '-' or '+' ? _source[afterOpen] : '\0';
            var rawEnd = kind == '%' ? MatchRawBegin(tagAt) : -1;
            var text = _source[_pos..tagAt];
            var newlines = CountNewlines(text);
            text = ApplyLeftStrip(text, sign, kind != '{');
            if (text.Length > 0)
            {
                _tokens.Add(new Token(TokenKind.Data, _line, text));
            }

            _line += newlines;
            var bodyStart = afterOpen + (sign != '\0' ? 1 : 0);
            if (rawEnd >= 0)
            {
                _line += CountNewlines(_source.AsSpan(tagAt, rawEnd - tagAt));
                _lineStarting = _source[rawEnd - 1] == '\n';
                _pos = rawEnd;
                LexRawBody();
            }
            else if (kind == '#')
            {
                LexComment(bodyStart);
            }
            else
            {
                var isBlock = kind == '%';
                _tokens.Add(new Token(isBlock ? TokenKind.BlockBegin : TokenKind.VariableBegin, _line, string.Empty));
                _pos = bodyStart;
                _lineStarting = false;
                LexTag(isBlock);
            }
        }
    }

    private int FindTagStart(int from)
    {
        var at = from;
        while (true)
        {
            var brace = _source.IndexOf('{', at);
            if (brace < 0 || brace + 1 >= _source.Length)
            {
                return -1;
            }

            if (_source[brace + 1] is '{' or '%' or '#')
            {
                return brace;
            }

            at = brace + 1;
        }
    }

    /// <summary>Jinja2's OptionalLStrip: <c>-</c> strips all trailing white space; lstrip_blocks strips an indentation-only line start.</summary>
    private string ApplyLeftStrip(string text, char sign, bool isBlockLike)
    {
        if (sign == '-')
        {
            return RightStrip(text);
        }

        if (sign == '+' || !_lstripBlocks || !isBlockLike)
        {
            return text;
        }

        var lineStart = text.LastIndexOf('\n') + 1;
        if ((lineStart > 0 || _lineStarting) && lineStart < text.Length && IsAllSpace(text.AsSpan(lineStart)))
        {
            return text[..lineStart];
        }

        return text;
    }

    private void EmitData(string text, int end)
    {
        if (text.Length > 0)
        {
            _tokens.Add(new Token(TokenKind.Data, _line, text));
            _line += CountNewlines(text);
        }

        _pos = end;
    }

    private int MatchRawBegin(int tagAt)
    {
        var p = tagAt + 2;
        if (p < _source.Length && _source[p] is '-' or '+')
        {
            p++;
        }

        p = SkipSpace(p);
        if (string.CompareOrdinal(_source, p, "raw", 0, 3) != 0)
        {
            return -1;
        }

        p = SkipSpace(p + 3);
        if (StartsWith(p, "-%}"))
        {
            return SkipSpace(p + 3);
        }

        return StartsWith(p, "%}") ? p + 2 : -1;
    }

    private void LexRawBody()
    {
        for (var p = _pos; p < _source.Length; p++)
        {
            if (_source[p] != '{' || !StartsWith(p, "{%"))
            {
                continue;
            }

            var q = p + 2;
            var sign = q < _source.Length && _source[q] is '-' or '+' ? _source[q] : '\0';
            if (sign != '\0')
            {
                q++;
            }

            q = SkipSpace(q);
            if (string.CompareOrdinal(_source, q, "endraw", 0, 6) != 0)
            {
                continue;
            }

            var end = MatchBlockEnd(SkipSpace(q + 6));
            if (end < 0)
            {
                continue;
            }

            var text = _source[_pos..p];
            var newlines = CountNewlines(text);
            text = ApplyLeftStrip(text, sign, isBlockLike: true);
            if (text.Length > 0)
            {
                _tokens.Add(new Token(TokenKind.Data, _line, text));
            }

            _line += newlines + CountNewlines(_source.AsSpan(p, end - p));
            _lineStarting = _source[end - 1] == '\n';
            _pos = end;
            return;
        }

        throw new JinjaSyntaxException("Missing end of raw directive", _line);
    }

    private void LexComment(int bodyStart)
    {
        for (var p = bodyStart; p < _source.Length; p++)
        {
            int end;
            if (StartsWith(p, "+#}"))
            {
                end = p + 3;
            }
            else if (StartsWith(p, "-#}"))
            {
                end = SkipSpace(p + 3);
            }
            else if (StartsWith(p, "#}"))
            {
                end = p + 2;
                if (_trimBlocks && end < _source.Length && _source[end] == '\n')
                {
                    end++;
                }
            }
            else
            {
                continue;
            }

            _line += CountNewlines(_source.AsSpan(bodyStart, end - bodyStart));
            _lineStarting = _source[end - 1] == '\n';
            _pos = end;
            return;
        }

        throw new JinjaSyntaxException("Missing end of comment tag", _line);
    }

    /// <summary>The end of a block tag at <paramref name="p"/> (<c>+%}</c>, <c>-%}</c> plus white space, <c>%}</c> plus trim_blocks' newline).</summary>
    private int MatchBlockEnd(int p)
    {
        if (StartsWith(p, "+%}"))
        {
            return p + 3;
        }

        if (StartsWith(p, "-%}"))
        {
            return SkipSpace(p + 3);
        }

        if (StartsWith(p, "%}"))
        {
            var end = p + 2;
            return _trimBlocks && end < _source.Length && _source[end] == '\n' ? end + 1 : end;
        }

        return -1;
    }

    private void LexTag(bool isBlock)
    {
        var balance = new Stack<char>();
        var length = _source.Length;
        while (_pos < length)
        {
            if (balance.Count == 0)
            {
                var end = isBlock ? MatchBlockEnd(_pos) : MatchVariableEnd(_pos);
                if (end >= 0)
                {
                    _tokens.Add(new Token(isBlock ? TokenKind.BlockEnd : TokenKind.VariableEnd, _line, string.Empty));
                    _line += CountNewlines(_source.AsSpan(_pos, end - _pos));
                    _lineStarting = _source[end - 1] == '\n';
                    _pos = end;
                    return;
                }
            }

            var c = _source[_pos];
            if (PythonWhitespace.IsSpace(c))
            {
                var end = SkipSpace(_pos);
                _line += CountNewlines(_source.AsSpan(_pos, end - _pos));
                _pos = end;
            }
            else if (char.IsAsciiDigit(c))
            {
                LexNumber();
            }
            else if (c == '_' || char.IsLetter(c))
            {
                LexName();
            }
            else if (c is '\'' or '"')
            {
                LexString(c);
            }
            else
            {
                LexOperator(balance);
            }
        }
    }

    private int MatchVariableEnd(int p)
    {
        if (StartsWith(p, "-}}"))
        {
            return SkipSpace(p + 3);
        }

        return StartsWith(p, "}}") ? p + 2 : -1;
    }

    private void LexNumber()
    {
        var start = _pos;
        var floatEnd = start > 0 && _source[start - 1] == '.' ? -1 : MatchFloat(start);
        if (floatEnd > 0)
        {
            var literal = _source[start..floatEnd].Replace("_", string.Empty, StringComparison.Ordinal);
            var value = double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture);
            _tokens.Add(new Token(TokenKind.Float, _line, literal, value));
            _pos = floatEnd;
            return;
        }

        var (end, radix) = MatchInteger(start);
        var digits = _source[(radix == 10 ? start : start + 2)..end].Replace("_", string.Empty, StringComparison.Ordinal);
        _tokens.Add(new Token(TokenKind.Integer, _line, _source[start..end], ParseInteger(digits, radix)));
        _pos = end;
    }

    private static object ParseInteger(string digits, int radix)
    {
        BigInteger value = BigInteger.Zero;
        foreach (var d in digits)
        {
            var digit = char.IsAsciiDigit(d) ? d - '0' : char.ToLowerInvariant(d) - 'a' + 10;
            value = (value * radix) + digit;
        }

        return Python.PyIntegers.Normalize(value);
    }

    /// <summary><c>(\d+_)*\d+</c> from <paramref name="p"/>: the end index, or -1.</summary>
    private int MatchDigitGroups(int p)
    {
        if (p >= _source.Length || !char.IsAsciiDigit(_source[p]))
        {
            return -1;
        }

        while (p < _source.Length && char.IsAsciiDigit(_source[p]))
        {
            p++;
        }

        while (p + 1 < _source.Length && _source[p] == '_' && char.IsAsciiDigit(_source[p + 1]))
        {
            p++;
            while (p < _source.Length && char.IsAsciiDigit(_source[p]))
            {
                p++;
            }
        }

        return p;
    }

    private int MatchExponent(int p)
    {
        if (p >= _source.Length || _source[p] is not ('e' or 'E'))
        {
            return -1;
        }

        p++;
        if (p < _source.Length && _source[p] is '+' or '-')
        {
            p++;
        }

        return MatchDigitGroups(p);
    }

    private int MatchFloat(int start)
    {
        var integerEnd = MatchDigitGroups(start);
        if (integerEnd < 0)
        {
            return -1;
        }

        if (integerEnd < _source.Length && _source[integerEnd] == '.')
        {
            var fractionEnd = MatchDigitGroups(integerEnd + 1);
            if (fractionEnd > 0)
            {
                var exponentEnd = MatchExponent(fractionEnd);
                return exponentEnd > 0 ? exponentEnd : fractionEnd;
            }
        }

        return MatchExponent(integerEnd);
    }

    private (int End, int Radix) MatchInteger(int start)
    {
        if (_source[start] == '0' && start + 1 < _source.Length)
        {
            var radix = char.ToLowerInvariant(_source[start + 1]) switch
            {
                'b' => 2,
                'o' => 8,
                'x' => 16,
                _ => 0,
            };
            if (radix != 0)
            {
                var p = start + 2;
                var any = false;
                while (true)
                {
                    var q = p < _source.Length && _source[p] == '_' ? p + 1 : p;
                    if (q < _source.Length && IsRadixDigit(_source[q], radix))
                    {
                        p = q + 1;
                        any = true;
                    }
                    else
                    {
                        break;
                    }
                }

                if (any)
                {
                    return (p, radix);
                }
            }
        }

        var end = start + 1;
        var zeroOnly = _source[start] == '0';
        while (true)
        {
            var q = end < _source.Length && _source[end] == '_' ? end + 1 : end;
            if (q < _source.Length && char.IsAsciiDigit(_source[q]) && (!zeroOnly || _source[q] == '0'))
            {
                end = q + 1;
            }
            else
            {
                return (end, 10);
            }
        }
    }

    private static bool IsRadixDigit(char c, int radix) => radix switch
    {
        2 => c is '0' or '1',
        8 => c is >= '0' and <= '7',
        _ => char.IsAsciiHexDigit(c),
    };

    private void LexName()
    {
        var start = _pos;
        var p = _pos + 1;
        while (p < _source.Length && IsNameContinue(_source[p]))
        {
            p++;
        }

        var lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();
        var span = _source.AsSpan(start, p - start);
        if (!lookup.TryGetValue(span, out var name))
        {
            name = span.ToString();
            lookup[span] = name;
        }

        _tokens.Add(new Token(TokenKind.Name, _line, name));
        _pos = p;
    }

    private static bool IsNameContinue(char c)
    {
        if (c == '_' || char.IsLetterOrDigit(c))
        {
            return true;
        }

        var category = CharUnicodeInfo.GetUnicodeCategory(c);
        return category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.ConnectorPunctuation;
    }

    private void LexString(char quote)
    {
        var p = _pos + 1;
        while (p < _source.Length)
        {
            var c = _source[p];
            if (c == '\\')
            {
                if (p + 1 >= _source.Length)
                {
                    break;
                }

                p += 2;
            }
            else if (c == quote)
            {
                var raw = _source[(_pos + 1)..p];
                _tokens.Add(new Token(TokenKind.String, _line, StringLiteral.Unescape(raw, _line)));
                _line += CountNewlines(raw);
                _pos = p + 1;
                return;
            }
            else
            {
                p++;
            }
        }

        throw UnexpectedChar();
    }

    private void LexOperator(Stack<char> balance)
    {
        var c = _source[_pos];
        var next = _pos + 1 < _source.Length ? _source[_pos + 1] : '\0';
        (TokenKind Kind, int Width) op = (c, next) switch
        {
            ('/', '/') => (TokenKind.FloorDiv, 2),
            ('*', '*') => (TokenKind.Pow, 2),
            ('=', '=') => (TokenKind.Eq, 2),
            ('!', '=') => (TokenKind.Ne, 2),
            ('>', '=') => (TokenKind.GtEq, 2),
            ('<', '=') => (TokenKind.LtEq, 2),
            ('+', _) => (TokenKind.Add, 1),
            ('-', _) => (TokenKind.Sub, 1),
            ('/', _) => (TokenKind.Div, 1),
            ('*', _) => (TokenKind.Mul, 1),
            ('%', _) => (TokenKind.Mod, 1),
            ('~', _) => (TokenKind.Tilde, 1),
            ('[', _) => (TokenKind.LBracket, 1),
            (']', _) => (TokenKind.RBracket, 1),
            ('(', _) => (TokenKind.LParen, 1),
            (')', _) => (TokenKind.RParen, 1),
            ('{', _) => (TokenKind.LBrace, 1),
            ('}', _) => (TokenKind.RBrace, 1),
            ('>', _) => (TokenKind.Gt, 1),
            ('<', _) => (TokenKind.Lt, 1),
            ('=', _) => (TokenKind.Assign, 1),
            ('.', _) => (TokenKind.Dot, 1),
            (':', _) => (TokenKind.Colon, 1),
            ('|', _) => (TokenKind.Pipe, 1),
            (',', _) => (TokenKind.Comma, 1),
            (';', _) => (TokenKind.Semicolon, 1),
            _ => throw UnexpectedChar(),
        };

        switch (c)
        {
            case '{':
                balance.Push('}');
                break;
            case '(':
                balance.Push(')');
                break;
            case '[':
                balance.Push(']');
                break;
            case '}' or ')' or ']':
                if (balance.Count == 0)
                {
                    throw new JinjaSyntaxException($"unexpected '{c}'", _line);
                }

                var expected = balance.Pop();
                if (expected != c)
                {
                    throw new JinjaSyntaxException($"unexpected '{c}', expected '{expected}'", _line);
                }

                break;
        }

        _tokens.Add(new Token(op.Kind, _line, _source.Substring(_pos, op.Width)));
        _pos += op.Width;
    }

    private JinjaSyntaxException UnexpectedChar() =>
        new($"unexpected char {PythonStringRepr.Repr(_source[_pos].ToString())} at {_pos}", _line);

    private bool StartsWith(int p, string text) =>
        p + text.Length <= _source.Length && string.CompareOrdinal(_source, p, text, 0, text.Length) == 0;

    private int SkipSpace(int p)
    {
        while (p < _source.Length && PythonWhitespace.IsSpace(_source[p]))
        {
            p++;
        }

        return p;
    }

    private static string RightStrip(string text)
    {
        var end = text.Length;
        while (end > 0 && PythonWhitespace.IsSpace(text[end - 1]))
        {
            end--;
        }

        return end == text.Length ? text : text[..end];
    }

    private static bool IsAllSpace(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!PythonWhitespace.IsSpace(c))
            {
                return false;
            }
        }

        return true;
    }

    private static int CountNewlines(ReadOnlySpan<char> text) => text.Count('\n');
}

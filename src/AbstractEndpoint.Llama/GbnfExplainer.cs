namespace AbstractEndpoint.Llama;

/// <summary>
/// Says why llama.cpp refused a GBNF grammar. llama.cpp writes its parse error to stderr (not to its log
/// callback), so the client would only hear "failed to parse grammar"; this walks the text the way llama.cpp's
/// parser does (<c>llama-grammar.cpp</c>: rules <c>name ::= alternates</c>, sequences of literals, character
/// classes, rule references, groups, <c>.</c> and the <c>* + ? {m,n}</c> repetitions) and names the first problem
/// with its line and column. It is only asked after llama.cpp has refused a grammar, so a construct it does not
/// know cannot turn a grammar llama.cpp accepts into an error.
/// </summary>
internal sealed class GbnfExplainer
{
    private const int MaxRepetitions = 2000; // llama.cpp's MAX_REPETITION_THRESHOLD

    private readonly string _text;
    private readonly HashSet<string> _defined = [];
    private readonly List<(string Name, int At)> _referenced = [];
    private int _pos;

    private GbnfExplainer(string text) => _text = text;

    /// <summary>Why the grammar does not parse, or null when this walk finds nothing wrong.</summary>
    public static string? Explain(string gbnf)
    {
        var explainer = new GbnfExplainer(gbnf);
        try
        {
            explainer.Parse();
        }
        catch (FormatException ex)
        {
            return ex.Message;
        }

        return null;
    }

    private char Current => _pos < _text.Length ? _text[_pos] : '\0';

    private char Peek(int offset) => _pos + offset < _text.Length ? _text[_pos + offset] : '\0';

    private bool AtEnd => _pos >= _text.Length;

    private void Parse()
    {
        SkipSpace(newlines: true);
        while (!AtEnd)
        {
            ParseRule();
        }

        foreach (var (name, at) in _referenced)
        {
            if (!_defined.Contains(name))
            {
                throw Error($"undefined rule identifier '{name}'", at);
            }
        }

        if (!_defined.Contains("root"))
        {
            throw new FormatException("the grammar has no 'root' rule");
        }
    }

    private void ParseRule()
    {
        var name = ParseName();
        SkipSpace(newlines: false);
        if (!(Current == ':' && Peek(1) == ':' && Peek(2) == '='))
        {
            throw Error("expecting '::='", _pos);
        }

        _pos += 3;
        SkipSpace(newlines: true);
        ParseAlternates(nested: false);
        _defined.Add(name);
        if (Current == '\r')
        {
            _pos += Peek(1) == '\n' ? 2 : 1;
        }
        else if (Current == '\n')
        {
            _pos++;
        }
        else if (!AtEnd)
        {
            throw Error("expecting a newline or the end", _pos);
        }

        SkipSpace(newlines: true);
    }

    private void ParseAlternates(bool nested)
    {
        ParseSequence(nested);
        while (Current == '|')
        {
            _pos++;
            SkipSpace(newlines: true);
            ParseSequence(nested);
        }
    }

    private void ParseSequence(bool nested)
    {
        var hasItem = false;
        while (!AtEnd)
        {
            var c = Current;
            if (c == '"')
            {
                var start = _pos++;
                while (Current != '"')
                {
                    if (AtEnd)
                    {
                        throw Error("unterminated string literal", start);
                    }

                    ParseChar();
                }

                _pos++;
            }
            else if (c == '[')
            {
                var start = _pos++;
                if (Current == '^')
                {
                    _pos++;
                }

                while (Current != ']')
                {
                    if (AtEnd)
                    {
                        throw Error("unterminated character class", start);
                    }

                    ParseChar();
                    if (Current == '-' && Peek(1) != ']')
                    {
                        _pos++;
                        if (AtEnd)
                        {
                            throw Error("unterminated character class", start);
                        }

                        ParseChar();
                    }
                }

                _pos++;
            }
            else if (IsWordChar(c))
            {
                var at = _pos;
                _referenced.Add((ParseName(), at));
            }
            else if (c == '(')
            {
                var open = _pos++;
                SkipSpace(newlines: true);
                ParseAlternates(nested: true);
                if (Current != ')')
                {
                    throw Error("expecting ')' to close the group opened", open);
                }

                _pos++;
            }
            else if (c == '.')
            {
                _pos++;
            }
            else if (c is '*' or '+' or '?')
            {
                if (!hasItem)
                {
                    throw Error($"'{c}' has no preceding item", _pos);
                }

                _pos++;
            }
            else if (c == '{')
            {
                ParseRepetition(hasItem);
            }
            else
            {
                break;
            }

            hasItem = true;
            SkipSpace(nested);
        }
    }

    private void ParseRepetition(bool hasItem)
    {
        var open = _pos;
        if (!hasItem)
        {
            throw Error("'{' has no preceding item", open);
        }

        _pos++;
        SkipSpace(newlines: false);
        long min = 0;
        long max = -1;
        if (char.IsAsciiDigit(Current))
        {
            min = ParseInt();
            SkipSpace(newlines: false);
            max = min;
        }

        if (Current == ',')
        {
            _pos++;
            SkipSpace(newlines: false);
            max = char.IsAsciiDigit(Current) ? ParseInt() : -1;
            SkipSpace(newlines: false);
        }

        if (Current != '}')
        {
            throw Error("expecting '}' to close the repetition", open);
        }

        _pos++;
        if (min > MaxRepetitions || max > MaxRepetitions)
        {
            throw Error($"more than {MaxRepetitions} repetitions", open);
        }
    }

    private long ParseInt()
    {
        var start = _pos;
        while (char.IsAsciiDigit(Current))
        {
            _pos++;
        }

        return long.TryParse(_text.AsSpan(start, _pos - start), out var value) ? value : long.MaxValue;
    }

    private void ParseChar()
    {
        if (Current != '\\')
        {
            _pos += char.IsHighSurrogate(Current) ? 2 : 1;
            return;
        }

        var at = _pos;
        var escape = Peek(1);
        _pos += 2;
        var hex = escape switch { 'x' => 2, 'u' => 4, 'U' => 8, _ => 0 };
        if (hex > 0)
        {
            for (var i = 0; i < hex; i++, _pos++)
            {
                if (!char.IsAsciiHexDigit(Current))
                {
                    throw Error($"expecting {hex} hex digits after '\\{escape}'", at);
                }
            }
        }
        else if (escape is not ('"' or '[' or ']' or '\\' or 'n' or 'r' or 't'))
        {
            throw Error(escape == '\0' ? "unexpected end of input" : $"unknown escape '\\{escape}'", at);
        }
    }

    private string ParseName()
    {
        var start = _pos;
        while (IsWordChar(Current))
        {
            _pos++;
        }

        return _pos == start ? throw Error("expecting a rule name", start) : _text[start.._pos];
    }

    private void SkipSpace(bool newlines)
    {
        while (!AtEnd)
        {
            var c = Current;
            if (c is ' ' or '\t' || (newlines && c is '\r' or '\n'))
            {
                _pos++;
            }
            else if (c == '#')
            {
                while (!AtEnd && Current is not ('\r' or '\n'))
                {
                    _pos++;
                }
            }
            else
            {
                return;
            }
        }
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '-';

    private FormatException Error(string what, int at)
    {
        var line = 1;
        var column = 1;
        for (var i = 0; i < at && i < _text.Length; i++)
        {
            (line, column) = _text[i] == '\n' ? (line + 1, 1) : (line, column + 1);
        }

        var near = at < _text.Length ? _text.Substring(at, Math.Min(20, _text.Length - at)).ReplaceLineEndings("⏎") : "the end";
        return new FormatException($"{what} at line {line}, column {column} (near \"{near}\")");
    }
}

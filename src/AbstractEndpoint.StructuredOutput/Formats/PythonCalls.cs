using System.Globalization;
using System.Text;
using AbstractEndpoint.StructuredOutput.Parsing;

namespace AbstractEndpoint.StructuredOutput.Formats;

/// <summary>
/// The non-JSON things Llama 3.1-family models write after <c>&lt;|python_tag|&gt;</c>: a built-in tool call
/// <c>brave_search.call(query="...")</c>, or raw code for the code interpreter (reported as a call to
/// <c>python</c> with <c>{"code": ...}</c>, which is how llama.cpp and vLLM surface it too).
/// </summary>
internal static class PythonCalls
{
    public const string Tag = "<|python_tag|>";
    public const string CodeToolName = "python";

    /// <summary>Parses what follows the tag at <paramref name="pos"/> (whitespace already skipped).</summary>
    public static BlockResult Parse(string s, int pos, bool final)
    {
        var ident = pos;
        while (ident < s.Length && (char.IsAsciiLetterOrDigit(s[ident]) || s[ident] == '_'))
        {
            ident++;
        }

        if (ident > pos && ident < s.Length)
        {
            var rest = ToolCallFamily.LiteralAt(s, ident, ".call(");
            if (rest == 1)
            {
                return Builtin(s, s[pos..ident], ident + ".call(".Length);
            }

            if (rest == 0 && !final)
            {
                return BlockResult.Incomplete();
            }
        }
        else if (ident == s.Length && !final)
        {
            return BlockResult.Incomplete();
        }

        // Raw code to the end of the output.
        var code = s[pos..];
        if (!final && code.Length > 0 && char.IsHighSurrogate(code[^1]))
        {
            code = code[..^1];
        }

        var prefix = "{\"code\": \"" + JsonCalls.Escape(code);
        return final
            ? BlockResult.Complete(s.Length, new PartialCall(CodeToolName, prefix + "\"}", true))
            : BlockResult.Incomplete(new PartialCall(CodeToolName, prefix, false));
    }

    // Built-in calls are short, so they are reported whole: a half-read one is not yet a call.
    private static BlockResult Builtin(string s, string name, int pos)
    {
        var json = new StringBuilder("{");
        var count = 0;
        while (true)
        {
            pos = JsonScanner.SkipWhitespace(s, pos);
            if (pos >= s.Length)
            {
                return BlockResult.Incomplete();
            }

            if (s[pos] == ')')
            {
                return BlockResult.Complete(pos + 1, new PartialCall(name, json.Append('}').ToString(), true));
            }

            if (count > 0)
            {
                if (s[pos] != ',')
                {
                    return BlockResult.NotABlock(pos);
                }

                pos = JsonScanner.SkipWhitespace(s, pos + 1);
            }

            var keyStart = pos;
            while (pos < s.Length && (char.IsAsciiLetterOrDigit(s[pos]) || s[pos] == '_'))
            {
                pos++;
            }

            if (pos >= s.Length)
            {
                return BlockResult.Incomplete();
            }

            if (pos == keyStart || s[pos] != '=')
            {
                return BlockResult.NotABlock(pos);
            }

            var key = s[keyStart..pos];
            pos++;
            var (value, end) = PythonLiteral(s, pos);
            if (value is null)
            {
                return end < 0 ? BlockResult.NotABlock(pos) : BlockResult.Incomplete();
            }

            json.Append(count++ == 0 ? string.Empty : ", ").Append('"').Append(JsonCalls.Escape(key)).Append("\": ").Append(value);
            pos = end;
        }
    }

    // A Python string, number, True/False/None as JSON; (null, 0) needs more text, (null, -1) is not a literal.
    private static (string? Json, int End) PythonLiteral(string s, int pos)
    {
        if (pos >= s.Length)
        {
            return (null, 0);
        }

        var c = s[pos];
        if (c is '"' or '\'')
        {
            var sb = new StringBuilder();
            for (var k = pos + 1; k < s.Length; k++)
            {
                if (s[k] == '\\' && k + 1 < s.Length)
                {
                    sb.Append(s[k + 1] switch { 'n' => '\n', 't' => '\t', _ => s[k + 1] });
                    k++;
                }
                else if (s[k] == c)
                {
                    return ("\"" + JsonCalls.Escape(sb.ToString()) + "\"", k + 1);
                }
                else
                {
                    sb.Append(s[k]);
                }
            }

            return (null, 0);
        }

        var end = pos;
        while (end < s.Length && (char.IsAsciiLetterOrDigit(s[end]) || s[end] is '.' or '-' or '+'))
        {
            end++;
        }

        if (end >= s.Length)
        {
            return (null, 0);
        }

        var word = s[pos..end];
        return word switch
        {
            "True" => ("true", end),
            "False" => ("false", end),
            "None" => ("null", end),
            _ when double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out _) => (word, end),
            _ => (null, -1),
        };
    }
}

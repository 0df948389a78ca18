using System.Text.Json;

namespace AbstractEndpoint.StructuredOutput.Parsing;

/// <summary>
/// Reads tool calls written as JSON objects (<c>{"name": ..., "arguments": {...}}</c> and its many spellings)
/// and arrays of them, from a prefix of the output. Arguments stream as the raw JSON text the model wrote.
/// </summary>
internal static class JsonCalls
{
    public static readonly string[] NameKeys = ["name"];
    public static readonly string[] ArgumentKeys = ["arguments", "parameters"];

    /// <summary>A call object starting at <paramref name="start"/> (which must be '{').</summary>
    public static (ScanStatus Status, int End, PartialCall? Call) Object(string s, int start, string[] nameKeys, string[] argKeys)
    {
        string? name = null;
        var args = string.Empty;
        var argsComplete = false;
        var sawArgs = false;

        (ScanStatus, int, PartialCall?) Result(ScanStatus status, int end)
        {
            if (status == ScanStatus.Complete && !sawArgs)
            {
                // A call without arguments is a call with none.
                (args, argsComplete) = ("{}", true);
            }

            var call = name is null && args.Length == 0 ? null : new PartialCall(name, args, argsComplete);
            return (status, end, call);
        }

        var pos = JsonScanner.SkipWhitespace(s, start + 1);
        var first = true;
        while (true)
        {
            if (pos >= s.Length)
            {
                return Result(ScanStatus.Incomplete, pos);
            }

            if (s[pos] == '}' && first)
            {
                return Result(ScanStatus.Complete, pos + 1);
            }

            if (s[pos] != '"')
            {
                return Result(ScanStatus.Invalid, pos);
            }

            var keyStart = pos;
            var keyStatus = JsonScanner.String(s, ref pos);
            if (keyStatus != ScanStatus.Complete)
            {
                return Result(keyStatus, pos);
            }

            var key = Decode(s, keyStart, pos);
            pos = JsonScanner.SkipWhitespace(s, pos);
            if (pos >= s.Length)
            {
                return Result(ScanStatus.Incomplete, pos);
            }

            if (s[pos] != ':')
            {
                return Result(ScanStatus.Invalid, pos);
            }

            pos = JsonScanner.SkipWhitespace(s, pos + 1);
            if (pos >= s.Length)
            {
                return Result(ScanStatus.Incomplete, pos);
            }

            var valueStart = pos;
            var (status, end) = JsonScanner.ScanValue(s, pos);
            if (status == ScanStatus.Invalid)
            {
                return Result(ScanStatus.Invalid, end);
            }

            if (nameKeys.Contains(key))
            {
                if (s[valueStart] != '"')
                {
                    return Result(ScanStatus.Invalid, valueStart);
                }

                if (status == ScanStatus.Complete)
                {
                    name = Decode(s, valueStart, end);
                }
            }
            else if (argKeys.Contains(key))
            {
                sawArgs = true;
                if (s[valueStart] == '"')
                {
                    // Stringified arguments: nothing can be streamed until the string is whole.
                    if (status == ScanStatus.Complete)
                    {
                        (args, argsComplete) = (Decode(s, valueStart, end), true);
                    }
                }
                else
                {
                    (args, argsComplete) = (s[valueStart..end], status == ScanStatus.Complete);
                }
            }
            else if (key == "function" && s[valueStart] == '{')
            {
                // OpenAI's own shape: {"type": "function", "function": {"name": ..., "arguments": ...}}.
                var inner = Object(s, valueStart, nameKeys, argKeys);
                if (inner.Call is not null)
                {
                    name = inner.Call.Name;
                    (args, argsComplete) = (inner.Call.Arguments, inner.Call.ArgumentsComplete);
                    sawArgs = true;
                }
            }

            if (status == ScanStatus.Incomplete)
            {
                return Result(ScanStatus.Incomplete, end);
            }

            pos = JsonScanner.SkipWhitespace(s, end);
            if (pos >= s.Length)
            {
                return Result(ScanStatus.Incomplete, pos);
            }

            if (s[pos] == '}')
            {
                return Result(ScanStatus.Complete, pos + 1);
            }

            if (s[pos] != ',')
            {
                return Result(ScanStatus.Invalid, pos);
            }

            pos = JsonScanner.SkipWhitespace(s, pos + 1);
            first = false;
        }
    }

    /// <summary>An array of call objects starting at <paramref name="start"/> (which must be '[').</summary>
    public static (ScanStatus Status, int End, List<PartialCall> Calls) Array(string s, int start, string[] nameKeys, string[] argKeys)
    {
        var calls = new List<PartialCall>();
        var pos = JsonScanner.SkipWhitespace(s, start + 1);
        var first = true;
        while (true)
        {
            if (pos >= s.Length)
            {
                return (ScanStatus.Incomplete, pos, calls);
            }

            if (s[pos] == ']' && first)
            {
                return (ScanStatus.Complete, pos + 1, calls);
            }

            if (s[pos] != '{')
            {
                return (ScanStatus.Invalid, pos, calls);
            }

            var (status, end, call) = Object(s, pos, nameKeys, argKeys);
            if (call is not null)
            {
                calls.Add(call);
            }

            if (status != ScanStatus.Complete)
            {
                return (status, end, calls);
            }

            if (call?.Name is null)
            {
                return (ScanStatus.Invalid, end, calls);
            }

            pos = JsonScanner.SkipWhitespace(s, end);
            if (pos >= s.Length)
            {
                return (ScanStatus.Incomplete, pos, calls);
            }

            if (s[pos] == ']')
            {
                return (ScanStatus.Complete, pos + 1, calls);
            }

            if (s[pos] != ',')
            {
                return (ScanStatus.Invalid, pos, calls);
            }

            pos = JsonScanner.SkipWhitespace(s, pos + 1);
            first = false;
        }
    }

    /// <summary>The value of a complete JSON string token s[start..end).</summary>
    public static string Decode(string s, int start, int end) =>
        JsonSerializer.Deserialize<string>(s.AsSpan(start, end - start)) ?? string.Empty;

    /// <summary>JSON-escapes text for streaming inside a string value (a prefix of the escaped whole is the escape of a prefix).</summary>
    public static string Escape(string text)
    {
        var json = JsonSerializer.Serialize(text, Schema.SchemaKeywords.Compact);
        return json[1..^1];
    }
}

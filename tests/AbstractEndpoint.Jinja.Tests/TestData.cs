using System.Text.Json.Nodes;

namespace AbstractEndpoint.Jinja.Tests;

/// <summary>Loads the committed reference data (Data/, copied next to the test assembly) and compares renders with it.</summary>
internal static class TestData
{
    /// <summary>The options the reference renderer uses: HF defaults with <c>strftime_now</c> pinned to its date.</summary>
    public static readonly JinjaOptions ReferenceOptions = JinjaOptions.Default with { StrftimeNow = _ => "26 Jul 2024" };

    public static string DataDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "Data");

    public static string ReadText(params string[] relative) => File.ReadAllText(Path.Combine([DataDirectory, .. relative]));

    public static JsonObject ReadJson(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();

    public static JsonObject ReadDataJson(string file) => ReadJson(Path.Combine(DataDirectory, file));

    /// <summary>A scenario as a render context, with the reference renderer's default special tokens.</summary>
    public static Dictionary<string, object?> ToContext(JsonObject scenario, bool addSpecialTokens = true)
    {
        var context = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in scenario)
        {
            context[key] = value;
        }

        if (addSpecialTokens)
        {
            context.TryAdd("bos_token", "<s>");
            context.TryAdd("eos_token", "</s>");
        }

        return context;
    }

    /// <summary>
    /// Renders and compares with one reference entry (<c>{"ok": true, "text": ...}</c> or <c>{"ok": false, "error":
    /// "Type: message"}</c>). Returns null when they agree, otherwise a description of the difference.
    /// </summary>
    public static string? Compare(JsonNode expected, Func<string> render)
    {
        var ok = expected["ok"]!.GetValue<bool>();
        string actual;
        Exception? failure = null;
        try
        {
            actual = render();
        }
        catch (JinjaException e)
        {
            failure = e;
            actual = string.Empty;
        }

        if (ok)
        {
            var text = expected["text"]!.GetValue<string>();
            if (failure is not null)
            {
                return $"expected text, got {failure}";
            }

            return actual == text ? null : $"text differs at index {FirstDifference(text, actual)}: expected «{Around(text, FirstDifference(text, actual))}», got «{Around(actual, FirstDifference(text, actual))}»";
        }

        var error = expected["error"]!.GetValue<string>();
        if (failure is null)
        {
            return $"expected error «{error}», got text «{Around(actual, 0)}»";
        }

        return ErrorMatches(error, failure) ? null : $"expected error «{error}», got «{failure}»";
    }

    /// <summary>
    /// Python's error class and message must match ours exactly; syntax errors compare the message, and Python's
    /// RecursionError corresponds to our recursion limit.
    /// </summary>
    private static bool ErrorMatches(string expected, Exception actual)
    {
        var colon = expected.IndexOf(": ", StringComparison.Ordinal);
        var type = colon < 0 ? expected : expected[..colon];
        var message = colon < 0 ? string.Empty : expected[(colon + 2)..];
        return actual switch
        {
            JinjaRenderException render when type == "TemplateError" =>
                render.ErrorType == type && render.Message == message && render.RaisedMessage == message,
            JinjaRenderException render => render.ErrorType == type && render.Message == message,
            JinjaSyntaxException syntax => type is "TemplateSyntaxError" or "TemplateAssertionError"
                ? syntax.Message == message
                : type == "SyntaxError" && message.StartsWith(syntax.Message, StringComparison.Ordinal),
            JinjaLimitException => type == "RecursionError",
            _ => false,
        };
    }

    private static int FirstDifference(string a, string b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            if (a[i] != b[i])
            {
                return i;
            }
        }

        return n;
    }

    private static string Around(string text, int index)
    {
        var start = Math.Max(0, index - 40);
        return text.Substring(start, Math.Min(text.Length - start, 120)).ReplaceLineEndings("⏎");
    }
}

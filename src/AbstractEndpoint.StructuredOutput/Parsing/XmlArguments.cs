using System.Text;

namespace AbstractEndpoint.StructuredOutput.Parsing;

/// <summary>
/// Builds a call's arguments JSON from XML-style parameters as they complete: <c>{"a": 1</c>, then
/// <c>{"a": 1, "b": "x"</c>, then the closing brace. Each step extends the previous text, so it streams.
/// </summary>
internal sealed class XmlArguments(ToolCatalog tools, string toolName)
{
    private readonly StringBuilder _json = new("{");
    private int _count;

    public void Add(string key, string rawValue)
    {
        _json.Append(_count++ == 0 ? string.Empty : ", ")
            .Append(JsonCalls.Escape(key) is var k ? "\"" + k + "\"" : string.Empty)
            .Append(": ")
            .Append(tools.ValueJson(toolName, key, rawValue));
    }

    public PartialCall Partial() => new(toolName, _json.ToString(), false);

    public PartialCall Complete() => new(toolName, _json + "}", true);

    /// <summary>Strips the single newline models put after the opening tag and before the closing one.</summary>
    public static string TrimValue(string value)
    {
        if (value.StartsWith('\n'))
        {
            value = value[1..];
        }

        if (value.EndsWith('\n'))
        {
            value = value[..^1];
        }

        return value;
    }
}

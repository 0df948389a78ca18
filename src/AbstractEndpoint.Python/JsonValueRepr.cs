using System.Text;
using System.Text.Json;

namespace AbstractEndpoint.Python;

/// <summary>
/// Python's <c>str()</c> and <c>repr()</c> of a value parsed by <c>json.loads</c>: <c>None</c>, <c>True</c>, <c>1.0</c>,
/// <c>['a', None]</c>, <c>{'k': 1}</c> (the prompt-cache original turns a module id into text with
/// <c>str(module_id)</c>, so a numeric or even a list id hashes as Python prints it).
/// </summary>
public static class JsonValueRepr
{
    public static string Str(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : Repr(value);

    public static string Repr(JsonElement value)
    {
        var text = new StringBuilder();
        Append(text, value);
        return text.ToString();
    }

    private static void Append(StringBuilder text, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                text.Append("None");
                break;
            case JsonValueKind.True:
                text.Append("True");
                break;
            case JsonValueKind.False:
                text.Append("False");
                break;
            case JsonValueKind.Number:
                text.Append(JsonNumberToken.Read(value).ToString());
                break;
            case JsonValueKind.String:
                PythonStringRepr.Append(text, value.GetString()!);
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var first = true;
                foreach (var item in value.EnumerateArray())
                {
                    text.Append(first ? "" : ", ");
                    first = false;
                    Append(text, item);
                }

                text.Append(']');
                break;
            case JsonValueKind.Object:
                text.Append('{');
                var separator = "";
                foreach (var (name, member) in PythonDict.Members(value))
                {
                    text.Append(separator);
                    separator = ", ";
                    PythonStringRepr.Append(text, name);
                    text.Append(": ");
                    Append(text, member);
                }

                text.Append('}');
                break;
        }
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using AbstractEndpoint.Python;

namespace AbstractEndpoint.PromptCaching.Json;

/// <summary>
/// The serialisation the Python original hashes: <c>json.dumps(obj, sort_keys=True, ensure_ascii=False,
/// separators=(",", ":"))</c>, reproduced byte for byte.
/// </summary>
/// <remarks>
/// Keys are sorted recursively by code point (Python's <c>str</c> order, not UTF-16 order). Numbers keep the nature
/// Python's <c>json.loads</c> gives them: a token with a fraction or exponent is a float printed as Python's
/// <c>repr</c> (<c>1.0</c>, <c>1e-05</c>, overflow as <c>Infinity</c>), any other token an int of unbounded size.
/// A repeated object key keeps its last value. An unpaired surrogate is written raw into the string form; the UTF-8
/// form rejects it with an <see cref="ArgumentException"/>, as Python's <c>.encode("utf-8")</c> fails on it.
/// (System.Text.Json cannot even read such a string from parsed JSON: it throws <see cref="InvalidOperationException"/>.)
/// </remarks>
public static class CanonicalJson
{
    public static string Serialize(JsonElement value)
    {
        var writer = new PythonJsonWriter(sortKeys: true, allowNan: true);
        writer.WriteElement(value);
        return writer.ToString();
    }

    public static string Serialize(JsonNode? value)
    {
        var writer = new PythonJsonWriter(sortKeys: true, allowNan: true);
        writer.WriteNode(value);
        return writer.ToString();
    }

    public static byte[] SerializeToUtf8Bytes(JsonElement value)
    {
        var writer = new PythonJsonWriter(sortKeys: true, allowNan: true);
        writer.WriteElement(value);
        return writer.ToUtf8Bytes();
    }

    public static byte[] SerializeToUtf8Bytes(JsonNode? value)
    {
        var writer = new PythonJsonWriter(sortKeys: true, allowNan: true);
        writer.WriteNode(value);
        return writer.ToUtf8Bytes();
    }
}

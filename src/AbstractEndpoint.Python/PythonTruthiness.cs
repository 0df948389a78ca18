using System.Text.Json;

namespace AbstractEndpoint.Python;

/// <summary>
/// Python's <c>bool(x)</c> for a value parsed by <c>json.loads</c>: null, false, 0, 0.0, -0.0, "", [] and {} are
/// false; everything else (including "false", [0] and infinity) is true.
/// </summary>
public static class PythonTruthiness
{
    public static bool IsTruthy(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.Number => !JsonNumberToken.Read(value).IsZero,
        JsonValueKind.String => value.GetString()!.Length > 0,
        JsonValueKind.Array => value.GetArrayLength() > 0,
        JsonValueKind.Object => value.EnumerateObject().Any(),
        _ => false,
    };
}

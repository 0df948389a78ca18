using System.Text.Json;
using System.Text.Json.Serialization;

namespace AbstractEndpoint.Bench.Load;

/// <summary>JSON output of a load run (snake_case, indented, nulls kept so columns are stable).</summary>
internal static class LoadReportJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Serialize(LoadReport report) => JsonSerializer.Serialize(report, Options);
}

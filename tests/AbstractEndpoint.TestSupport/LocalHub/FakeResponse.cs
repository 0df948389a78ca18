using System.Text;
using System.Text.Json;

namespace AbstractEndpoint.TestSupport.LocalHub;

/// <summary>What the fake hub sends back; <see cref="CutAfterBytes"/> closes the socket mid-body.</summary>
internal sealed record FakeResponse(int Status, Dictionary<string, string> Headers, byte[] Body)
{
    public int? CutAfterBytes { get; init; }

    public static FakeResponse Json(int status, string json) =>
        new(status, new Dictionary<string, string> { ["Content-Type"] = "application/json; charset=utf-8" }, Encoding.UTF8.GetBytes(json));

    /// <summary>An error shaped like the hub's: JSON body, <c>X-Error-Code</c> and <c>X-Error-Message</c>.</summary>
    public static FakeResponse Error(int status, string message, string? code = null)
    {
        var response = Json(status, JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = message }));
        response.Headers["X-Error-Message"] = message;
        if (code is not null)
        {
            response.Headers["X-Error-Code"] = code;
        }

        return response;
    }
}

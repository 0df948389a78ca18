using System.Text.Json;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Protocol.LlamaServer;

/// <summary>
/// The request-leniency rule of every route, for the small llama-server bodies: a known field is read (a wrong type
/// or value is a 400 naming it), <c>null</c> means "not given", and an unknown field is accepted without effect and
/// reported — or refused with a 400 under <c>--strict-requests</c>.
/// </summary>
internal static class LenientObject
{
    public static IReadOnlyList<IgnoredField> Read(
        JsonElement root, IReadOnlySet<string> known, bool strict, Action<string, JsonElement> read)
    {
        JsonFields.RequireKind(root, JsonValueKind.Object, "body", "a JSON object");
        var ignored = new List<IgnoredField>();
        foreach (var property in root.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                if (strict)
                {
                    throw new InvalidRequestException(
                        $"Unrecognized request argument supplied: {property.Name}", property.Name, "unknown_parameter");
                }

                ignored.Add(new IgnoredField(property.Name, "unknown field"));
                continue;
            }

            if (property.Value.ValueKind != JsonValueKind.Null)
            {
                read(property.Name, property.Value);
            }
        }

        return ignored;
    }
}

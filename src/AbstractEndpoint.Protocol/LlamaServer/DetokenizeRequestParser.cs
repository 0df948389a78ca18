using System.Text.Json;
using AbstractEndpoint.Core.Errors;

namespace AbstractEndpoint.Protocol.LlamaServer;

/// <summary>Reads a <c>POST /detokenize</c> body: <c>tokens</c>, an array of non-negative integers.</summary>
public static class DetokenizeRequestParser
{
    private static readonly HashSet<string> KnownFields = ["tokens"];

    public static DetokenizeRequest Parse(ReadOnlyMemory<byte> body, bool strict = false)
    {
        using var document = JsonRequestBody.Parse(body);
        IReadOnlyList<int>? tokens = null;
        var ignored = LenientObject.Read(document.RootElement, KnownFields, strict, (name, value) => tokens = TokenIds(value, name));
        return new DetokenizeRequest(
            tokens ?? throw new InvalidRequestException("Missing required parameter: 'tokens'.", "tokens", "missing_required_parameter"),
            ignored);
    }

    /// <summary>An array of token ids; whether each is in the vocabulary is the tokenizer's check.</summary>
    public static IReadOnlyList<int> TokenIds(JsonElement value, string param)
    {
        JsonFields.RequireKind(value, JsonValueKind.Array, param, "an array of token ids");
        var ids = new List<int>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            ids.Add((int)JsonFields.Integer(item, param, 0, int.MaxValue));
        }

        return ids;
    }
}

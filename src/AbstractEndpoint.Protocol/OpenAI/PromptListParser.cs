using System.Text.Json;
using AbstractEndpoint.Core.Completion;
using AbstractEndpoint.Core.Errors;

namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>
/// OpenAI's four spellings of "one or more prompts" (<c>prompt</c> of <c>/v1/completions</c>, <c>input</c> of
/// <c>/v1/embeddings</c>): a string, an array of strings, an array of token ids (one prompt), or an array of arrays of
/// token ids. An empty array, an empty token list, a mix of kinds, or anything else is a 400 naming the position.
/// Token ids are checked to be non-negative integers here; the model checks them against its vocabulary.
/// </summary>
public static class PromptListParser
{
    /// <summary>OpenAI's limit on the number of inputs of one embeddings request, applied to both routes.</summary>
    public const int MaxPrompts = 2048;

    public static IReadOnlyList<TextPrompt> Parse(JsonElement value, string param)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return [TextPrompt.FromText(JsonFields.ReadableString(value, param))];
        }

        JsonFields.RequireKind(value, JsonValueKind.Array, param, "a string, an array of strings, an array of token ids or an array of token-id arrays");
        var count = value.GetArrayLength();
        if (count == 0)
        {
            throw new InvalidRequestException($"Invalid '{param}': the array is empty; give at least one prompt.", param, "invalid_value");
        }

        if (count > MaxPrompts)
        {
            throw new InvalidRequestException(
                $"Invalid '{param}': {count} entries; at most {MaxPrompts} are allowed in one request.", param, "invalid_value");
        }

        // The first element decides the spelling; every other must match it.
        return value[0].ValueKind switch
        {
            JsonValueKind.Number => [TextPrompt.FromTokens(TokenIds(value, param))],
            JsonValueKind.String => [.. value.EnumerateArray().Select((item, i) => TextPrompt.FromText(TextAt(item, $"{param}[{i}]")))],
            JsonValueKind.Array => [.. value.EnumerateArray().Select((item, i) => TextPrompt.FromTokens(TokenIds(item, $"{param}[{i}]")))],
            _ => throw JsonFields.TypeError($"{param}[0]", "a string, a token id or an array of token ids", value[0]),
        };
    }

    private static string TextAt(JsonElement item, string param) =>
        item.ValueKind == JsonValueKind.String ? JsonFields.ReadableString(item, param)
        : throw JsonFields.TypeError(param, "a string, as the array's first entry is", item);

    private static int[] TokenIds(JsonElement array, string param)
    {
        JsonFields.RequireKind(array, JsonValueKind.Array, param, "an array of token ids, as the array's first entry is");
        if (array.GetArrayLength() == 0)
        {
            throw new InvalidRequestException($"Invalid '{param}': the token list is empty.", param, "invalid_value");
        }

        var ids = new int[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            ids[i] = (int)JsonFields.Integer(item, $"{param}[{i}]", 0, int.MaxValue);
            i++;
        }

        return ids;
    }
}

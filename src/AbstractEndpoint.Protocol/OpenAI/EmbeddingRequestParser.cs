using System.Text.Json;
using AbstractEndpoint.Core.Completion;
using AbstractEndpoint.Core.Errors;

namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>
/// Validates a <c>/v1/embeddings</c> body: <c>input</c> in OpenAI's four spellings (<see cref="PromptListParser"/>),
/// <c>encoding_format</c> <c>float</c> or <c>base64</c>, <c>dimensions</c>, <c>user</c>. A wrong type or value is a
/// 400 naming the field; an unknown field is ignored and reported, or refused under <c>--strict-requests</c>.
/// </summary>
public static class EmbeddingRequestParser
{
    private static readonly HashSet<string> Known = ["model", "input", "encoding_format", "dimensions", "user"];

    public static ParsedEmbeddings Parse(ReadOnlyMemory<byte> body, bool strict = false)
    {
        using var document = JsonRequestBody.Parse(body);
        return Parse(document.RootElement, strict);
    }

    public static ParsedEmbeddings Parse(JsonElement root, bool strict = false)
    {
        string? model = null;
        IReadOnlyList<TextPrompt>? inputs = null;
        var base64 = false;
        int? dimensions = null;
        var ignored = LlamaServer.LenientObject.Read(root, Known, strict, (name, value) =>
        {
            switch (name)
            {
                case "model":
                    model = JsonFields.String(value, name);
                    break;
                case "input":
                    inputs = PromptListParser.Parse(value, name);
                    break;
                case "encoding_format":
                    base64 = JsonFields.String(value, name) switch
                    {
                        "float" => false,
                        "base64" => true,
                        var other => throw new InvalidRequestException(
                            $"Invalid value for 'encoding_format': '{other}'. Supported values are: 'float' and 'base64'.", name, "invalid_value"),
                    };
                    break;
                case "dimensions":
                    dimensions = (int)JsonFields.Integer(value, name, 1, int.MaxValue);
                    break;
                case "user":
                    JsonFields.String(value, name);
                    break;
            }
        });

        if (model is null)
        {
            throw new InvalidRequestException("Missing required parameter: 'model'.", "model", "missing_required_parameter");
        }

        return inputs is null
            ? throw new InvalidRequestException("Missing required parameter: 'input'.", "input", "missing_required_parameter")
            : new ParsedEmbeddings(inputs, model, base64, dimensions) { Ignored = ignored };
    }
}

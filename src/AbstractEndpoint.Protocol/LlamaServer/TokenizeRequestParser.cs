using AbstractEndpoint.Core.Errors;

namespace AbstractEndpoint.Protocol.LlamaServer;

/// <summary>Reads a <c>POST /tokenize</c> body. <c>content</c> is a string (llama-server's mixed arrays are refused).</summary>
public static class TokenizeRequestParser
{
    private static readonly HashSet<string> KnownFields = ["content", "add_special", "parse_special", "with_pieces"];

    public static TokenizeRequest Parse(ReadOnlyMemory<byte> body, bool strict = false)
    {
        using var document = JsonRequestBody.Parse(body);
        string? content = null;
        var addSpecial = false;
        var parseSpecial = true;
        var withPieces = false;
        var ignored = LenientObject.Read(document.RootElement, KnownFields, strict, (name, value) =>
        {
            switch (name)
            {
                case "content":
                    content = JsonFields.ReadableString(value, name);
                    break;
                case "add_special":
                    addSpecial = JsonFields.Boolean(value, name);
                    break;
                case "parse_special":
                    parseSpecial = JsonFields.Boolean(value, name);
                    break;
                case "with_pieces":
                    withPieces = JsonFields.Boolean(value, name);
                    break;
            }
        });
        if (content is null)
        {
            throw new InvalidRequestException("Missing required parameter: 'content'.", "content", "missing_required_parameter");
        }

        return new TokenizeRequest(content, addSpecial, parseSpecial, withPieces, ignored);
    }
}

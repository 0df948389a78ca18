using System.Text.Json;
using System.Text.Unicode;
using AbstractEndpoint.Core.Errors;

namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>
/// Parses a request body into a <see cref="JsonDocument"/>, or fails with a 400 that says where the body is broken.
/// <see cref="JsonDocument.Parse(ReadOnlyMemory{byte}, JsonDocumentOptions)"/> checks the syntax but not the text
/// inside strings: invalid UTF-8 and lone surrogate escapes (<c>"\ud800"</c>) only throw later, as an
/// <see cref="InvalidOperationException"/> (a 500) from whichever field happens to read them. One pass of the
/// reader over the body first decodes every string and property name, so a bad one is a client error named by
/// its position before any field is read.
/// </summary>
public static class JsonRequestBody
{
    /// <summary>The deepest nesting a body may have (System.Text.Json's default is 64; tool schemas nest deeply).</summary>
    public const int MaxDepth = 128;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    public static JsonDocument Parse(ReadOnlyMemory<byte> body)
    {
        CheckStrings(body.Span);
        try
        {
            return JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw Invalid(ex.Message, ex);
        }
    }

    private static void CheckStrings(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
                {
                    continue;
                }

                if (reader.ValueIsEscaped ? !Decodes(ref reader) : !Utf8.IsValid(reader.ValueSpan))
                {
                    var offset = reader.TokenStartIndex;
                    var kind = reader.TokenType == JsonTokenType.PropertyName ? "a property name" : "a string";
                    throw Invalid(
                        $"{kind} at {Position(body, offset)} is not valid Unicode text (invalid UTF-8 bytes or a lone surrogate escape such as \\ud800).",
                        null);
                }
            }
        }
        catch (JsonException ex)
        {
            throw Invalid(ex.Message, ex);
        }
    }

    private static bool Decodes(ref Utf8JsonReader reader)
    {
        try
        {
            _ = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>"line L, byte B (offset O)", 1-based like an editor's, plus the 0-based offset into the body.</summary>
    private static string Position(ReadOnlySpan<byte> body, long offset)
    {
        var before = body[..(int)offset];
        var line = before.Count((byte)'\n') + 1;
        var column = offset - (before.LastIndexOf((byte)'\n') + 1) + 1;
        return $"line {line}, byte {column} (offset {offset})";
    }

    private static InvalidRequestException Invalid(string reason, Exception? inner) =>
        new($"We could not parse the JSON body of your request: {reason}", null, "invalid_json", inner);
}

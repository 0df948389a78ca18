using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using AbstractEndpoint.Core.Errors;

namespace AbstractEndpoint.Protocol;

/// <summary>
/// Parses a request body into a <see cref="JsonDocument"/>, or fails with a 400 that says where the body is broken.
/// <see cref="JsonDocument.Parse(ReadOnlyMemory{byte}, JsonDocumentOptions)"/> checks the syntax but not the text
/// inside strings: invalid UTF-8 and lone surrogate escapes (<c>"\ud800"</c>) only throw later, as an
/// <see cref="InvalidOperationException"/> (a 500) from whichever field happens to read them. One pass of the
/// reader over the body first decodes every string and property name, so a bad one is a client error named by
/// its position before any field is read. Every JSON body format uses it (OpenAI chat, the prompt-cache control plane).
/// </summary>
public static class JsonRequestBody
{
    /// <summary>The deepest nesting a body may have (System.Text.Json's default is 64; tool schemas nest deeply).</summary>
    public const int MaxDepth = 128;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    public static JsonDocument Parse(ReadOnlyMemory<byte> body) => Parse(body, MaxDepth, nameTheField: false);

    /// <summary>Deepest nesting a part of an accepted body can have (the small routes' limit, above this one).</summary>
    private const int NodeMaxDepth = 512;

    private static readonly JsonDocumentOptions NodeOptions = new() { MaxDepth = NodeMaxDepth };

    /// <summary>
    /// A part of an accepted body as a mutable node (a tool's schema, an item to echo). Parsed with a nesting limit
    /// above every body's, so anything the body parser let in converts (the default of 64 would throw on a schema
    /// nested 65 deep in an accepted body, a 500).
    /// </summary>
    public static JsonNode? Node(JsonElement element) => JsonNode.Parse(element.GetRawText(), documentOptions: NodeOptions);

    /// <summary>
    /// Parses with a nesting limit of <c>maxDepth</c>. With <c>nameTheField</c>, the error's <c>param</c> is the
    /// top-level member that holds the bad text (<c>key</c>, or <c>modules[0]</c> for an item of a top-level list), as
    /// the formats whose field errors name it that way (the control plane) want.
    /// </summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> body, int maxDepth, bool nameTheField)
    {
        CheckStrings(body.Span, maxDepth, nameTheField);
        try
        {
            return maxDepth == MaxDepth ? JsonDocument.Parse(body, DocumentOptions) : JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = maxDepth });
        }
        catch (JsonException ex)
        {
            throw Invalid(ex.Message, ex);
        }
    }

    private static void CheckStrings(ReadOnlySpan<byte> body, int maxDepth, bool nameTheField)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = maxDepth });
        var field = new TopLevelField();
        try
        {
            while (reader.Read())
            {
                field.Track(ref reader);
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
                {
                    continue;
                }

                if (!IsText(ref reader))
                {
                    var offset = reader.TokenStartIndex;
                    var kind = reader.TokenType == JsonTokenType.PropertyName ? "a property name" : "a string";
                    throw Invalid(
                        $"{kind} at {Position(body, offset)} is not valid Unicode text (invalid UTF-8 bytes or a lone surrogate escape such as \\ud800).",
                        null,
                        nameTheField ? field.Param : null);
                }
            }
        }
        catch (JsonException ex)
        {
            throw Invalid(ex.Message, ex);
        }
    }

    private static bool IsText(ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped ? Decodes(ref reader) : Utf8.IsValid(reader.ValueSpan);

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

    private static InvalidRequestException Invalid(string reason, Exception? inner, string? param = null) =>
        new($"We could not parse the JSON body of your request: {reason}", param, "invalid_json", inner);

    /// <summary>Which top-level member (and item of a top-level list) the reader is in, as a field error names it.</summary>
    private struct TopLevelField
    {
        private string? _name;
        private bool _inList;
        private int _index;

        /// <summary><c>name</c>, <c>name[i]</c> inside a top-level list, null outside a readable member.</summary>
        public readonly string? Param => _name is null ? null : _inList && _index >= 0 ? $"{_name}[{_index}]" : _name;

        public void Track(ref Utf8JsonReader reader)
        {
            if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName)
            {
                _name = IsText(ref reader) ? reader.GetString() : null;
                _inList = false;
                _index = -1;
            }
            else if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.StartArray)
            {
                _inList = true;
            }
            else if (reader.CurrentDepth == 2 && _inList && reader.TokenType is not (JsonTokenType.EndArray or JsonTokenType.EndObject))
            {
                _index++; // an item of the top-level list starts
            }
        }
    }
}

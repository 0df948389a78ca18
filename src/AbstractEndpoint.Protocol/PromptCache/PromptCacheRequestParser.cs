using System.Text.Json;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.PromptCaching.Control;

namespace AbstractEndpoint.Protocol.PromptCache;

/// <summary>
/// Reads the five POST bodies of the control plane with the original's field names, types and defaults.
/// Every failure is a <see cref="PromptCacheRequestException"/> naming the field. Messages and tools (of update and
/// of each module) are read into domain types by <see cref="PromptCacheFragmentReader"/> when they are appended.
/// As chat's bodies: bytes that are not Unicode text are a 400 naming the position (and the top-level field); an
/// unknown top-level field is ignored, or refused under <c>strict</c> (<c>--strict-requests</c>). The modules of
/// prepare_modules are always strict, as the original's were.
/// </summary>
public static class PromptCacheRequestParser
{
    public static PromptCacheSetRequest ParseSet(ReadOnlyMemory<byte> utf8Body, bool strict = false) => Read(utf8Body, Set, strict);

    public static PromptCacheSetRequest ParseSet(JsonElement body, bool strict = false) => Of(body, Set, strict);

    public static PromptCacheUpdateRequest ParseUpdate(ReadOnlyMemory<byte> utf8Body, bool strict = false) => Read(utf8Body, Update, strict);

    public static PromptCacheUpdateRequest ParseUpdate(JsonElement body, bool strict = false) => Of(body, Update, strict);

    public static PromptCacheForkRequest ParseFork(ReadOnlyMemory<byte> utf8Body, bool strict = false) => Read(utf8Body, Fork, strict);

    public static PromptCacheForkRequest ParseFork(JsonElement body, bool strict = false) => Of(body, Fork, strict);

    /// <summary>The body is required even though every field is optional: the original (FastAPI) demanded one too.</summary>
    public static PromptCacheClearRequest ParseClear(ReadOnlyMemory<byte> utf8Body, bool strict = false) => Read(utf8Body, Clear, strict);

    public static PromptCacheClearRequest ParseClear(JsonElement body, bool strict = false) => Of(body, Clear, strict);

    public static PromptCachePrepareModulesRequest ParsePrepareModules(ReadOnlyMemory<byte> utf8Body, bool strict = false) =>
        Read(utf8Body, PrepareModules, strict);

    public static PromptCachePrepareModulesRequest ParsePrepareModules(JsonElement body, bool strict = false) =>
        Of(body, PrepareModules, strict);

    private static T Read<T>(ReadOnlyMemory<byte> utf8Body, Func<JsonObjectFields, T> map, bool strict) =>
        AsControlPlaneError(() => JsonObjectFields.Read(utf8Body, map, strict));

    private static T Of<T>(JsonElement body, Func<JsonObjectFields, T> map, bool strict) =>
        AsControlPlaneError(() => JsonObjectFields.Map(body, map, strict));

    /// <summary>The shared field checks fail with the generic 400; this route family names its own exception type.</summary>
    private static T AsControlPlaneError<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (InvalidRequestException ex) when (ex is not PromptCacheRequestException)
        {
            throw new PromptCacheRequestException(ex.Message, ex.Param, ex.Code ?? "invalid_request", ex.InnerException ?? ex);
        }
    }

    private static PromptCacheSetRequest Set(JsonObjectFields body) => new(
        body.RequiredString("key"),
        body.Boolean("make_default", true),
        body.OptionalNumber("ttl_s"));

    private static PromptCacheUpdateRequest Update(JsonObjectFields body) => new(body.RequiredString("key"))
    {
        Prompt = body.OptionalString("prompt"),
        Messages = body.OptionalObjects("messages"),
        SystemPrompt = body.OptionalString("system_prompt"),
        Tools = body.OptionalObjects("tools"),
        AddGenerationPrompt = body.Boolean("add_generation_prompt", false),
        TtlSeconds = body.OptionalNumber("ttl_s"),
        Reasoning = Thinking(body),
        Reader = PromptCacheFragmentReader.Instance,
    };

    private static PromptCacheForkRequest Fork(JsonObjectFields body) => new(
        body.RequiredString("from_key"),
        body.RequiredString("to_key"),
        body.Boolean("make_default", false),
        body.OptionalNumber("ttl_s"));

    private static PromptCacheClearRequest Clear(JsonObjectFields body) => new(body.OptionalString("key"));

    private static PromptCachePrepareModulesRequest PrepareModules(JsonObjectFields body) => new(
        body.RequiredString("namespace"),
        body.RequiredObjects("modules"),
        body.Boolean("make_default", false),
        body.OptionalNumber("ttl_s"),
        body.Integer("version", 1))
    {
        Reasoning = Thinking(body),
        Reader = PromptCacheFragmentReader.Instance,
    };

    /// <summary>
    /// <c>thinking</c> as the chat route reads it (a boolean, or one of its words, case-insensitive; null and
    /// <c>"auto"</c> change nothing). Another type is a malformed body (400); an unknown word is the contract's
    /// <see cref="PromptCacheErrorCodes.InvalidThinking"/>, answered in the coded envelope.
    /// </summary>
    private static ReasoningControl? Thinking(JsonObjectFields body) => body.OptionalValue("thinking") switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => ReasoningControl.On,
        { ValueKind: JsonValueKind.False } => ReasoningControl.Off,
        { ValueKind: JsonValueKind.String } text => ReasoningControl.TryParseThinking(JsonFields.ReadableString(text, "thinking"), out var control)
            ? control
            : throw new PromptCacheOperationException(
                PromptCacheErrorCodes.InvalidThinking,
                $"Invalid value for 'thinking': '{text.GetString()}'. Supported values are: {ReasoningControl.ThinkingValues}."),
        { } other => throw JsonFields.TypeError("thinking", "a boolean or a string", other),
    };
}

using System.Text.Json;

namespace AbstractEndpoint.PromptCaching.ControlPlane;

/// <summary>
/// Reads the five POST bodies of the control plane with the original's field names, types and defaults.
/// Every failure is a <see cref="PromptCacheRequestException"/> naming the field.
/// </summary>
public static class PromptCacheRequestParser
{
    public static PromptCacheSetRequest ParseSet(ReadOnlyMemory<byte> utf8Body) => RequestBody.Read(utf8Body, Set);

    public static PromptCacheSetRequest ParseSet(JsonElement body) => Set(RequestBody.Of(body));

    public static PromptCacheUpdateRequest ParseUpdate(ReadOnlyMemory<byte> utf8Body) => RequestBody.Read(utf8Body, Update);

    public static PromptCacheUpdateRequest ParseUpdate(JsonElement body) => Update(RequestBody.Of(body));

    public static PromptCacheForkRequest ParseFork(ReadOnlyMemory<byte> utf8Body) => RequestBody.Read(utf8Body, Fork);

    public static PromptCacheForkRequest ParseFork(JsonElement body) => Fork(RequestBody.Of(body));

    /// <summary>The body is required even though every field is optional: the original (FastAPI) demanded one too.</summary>
    public static PromptCacheClearRequest ParseClear(ReadOnlyMemory<byte> utf8Body) => RequestBody.Read(utf8Body, Clear);

    public static PromptCacheClearRequest ParseClear(JsonElement body) => Clear(RequestBody.Of(body));

    public static PromptCachePrepareModulesRequest ParsePrepareModules(ReadOnlyMemory<byte> utf8Body) =>
        RequestBody.Read(utf8Body, PrepareModules);

    public static PromptCachePrepareModulesRequest ParsePrepareModules(JsonElement body) => PrepareModules(RequestBody.Of(body));

    private static PromptCacheSetRequest Set(RequestBody body) => new(
        body.RequiredString("key"),
        body.Boolean("make_default", true),
        body.OptionalNumber("ttl_s"));

    private static PromptCacheUpdateRequest Update(RequestBody body) => new(body.RequiredString("key"))
    {
        Prompt = body.OptionalString("prompt"),
        Messages = body.OptionalObjects("messages"),
        SystemPrompt = body.OptionalString("system_prompt"),
        Tools = body.OptionalObjects("tools"),
        AddGenerationPrompt = body.Boolean("add_generation_prompt", false),
        TtlSeconds = body.OptionalNumber("ttl_s"),
    };

    private static PromptCacheForkRequest Fork(RequestBody body) => new(
        body.RequiredString("from_key"),
        body.RequiredString("to_key"),
        body.Boolean("make_default", false),
        body.OptionalNumber("ttl_s"));

    private static PromptCacheClearRequest Clear(RequestBody body) => new(body.OptionalString("key"));

    private static PromptCachePrepareModulesRequest PrepareModules(RequestBody body) => new(
        body.RequiredString("namespace"),
        body.RequiredObjects("modules"),
        body.Boolean("make_default", false),
        body.OptionalNumber("ttl_s"),
        body.Integer("version", 1));
}

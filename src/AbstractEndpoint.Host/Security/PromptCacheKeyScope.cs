using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Completion;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.PromptCaching.Store;

namespace AbstractEndpoint.Host.Security;

/// <summary>
/// The named-cache namespace of one API key: every cache name a keyed request sends is stored as
/// <c>@&lt;key id&gt;:&lt;name&gt;</c>, and the prefix is stripped from everything written back. The key id is a fixed 8
/// hex characters, so two keys' prefixes never overlap: a client that sends a name which looks namespaced
/// (<c>@other-id:x</c>) only gets <c>@own-id:@other-id:x</c>, a cache of its own. Without API keys there is no scope
/// and names pass through unchanged (the behaviour before keys).
/// </summary>
internal sealed class PromptCacheKeyScope
{
    private PromptCacheKeyScope(string keyId, PromptCacheDefaultKeys defaults, bool isolatesPrefixes)
    {
        KeyId = keyId;
        IsolatesPrefixes = isolatesPrefixes;
        Prefix = "@" + keyId + ":";
        Defaults = defaults;
    }

    public string KeyId { get; }

    /// <summary>What every cache name of this key begins with in the engine.</summary>
    public string Prefix { get; }

    public PromptCacheDefaultKeys Defaults { get; }

    /// <summary>Whether this key's chats reuse only slot prefixes its own requests computed (the isolation tag).</summary>
    public bool IsolatesPrefixes { get; }

    /// <summary>The scope of the key the request was let in with; null without API keys.</summary>
    public static PromptCacheKeyScope? Of(HttpContext context)
    {
        if (ApiKeyMiddleware.KeyIdOf(context) is not { } keyId)
        {
            return null;
        }

        // One key alone has nobody to be isolated from; --cache-isolation shared opts out.
        var services = context.RequestServices;
        var isolates = services.GetRequiredService<ApiKeySet>().Count > 1
            && services.GetRequiredService<EndpointOptions>().CacheIsolation == "key";
        return new PromptCacheKeyScope(keyId, services.GetRequiredService<PromptCacheDefaultKeys>(), isolates);
    }

    /// <summary>
    /// The engine's name for a client's name, normalized first (trimmed; blank stays "no key") so the prefix sits in
    /// front of exactly what the engine would have stored.
    /// </summary>
    public string? Scope(string? name) => PromptCacheKeys.Normalize(name) is { } normalized ? Prefix + normalized : null;

    public bool Owns(string engineName) => engineName.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The client's name for one of this key's caches.</summary>
    public string Unscope(string engineName) => Owns(engineName) ? engineName[Prefix.Length..] : engineName;

    /// <summary>Removes this key's prefix wherever it appears in a message (cache names quoted in errors).</summary>
    public string UnscopeText(string text) => text.Replace(Prefix, "", StringComparison.Ordinal);

    /// <summary>A stats row with the names it records (forked_from, namespace) in the client's terms.</summary>
    public JsonObject UnscopeMeta(JsonObject meta)
    {
        var copy = (JsonObject)meta.DeepClone();
        foreach (var field in new[] { PromptCacheMetaKeys.ForkedFrom, PromptCacheMetaKeys.Namespace })
        {
            if (copy[field] is JsonValue value && value.TryGetValue<string>(out var text))
            {
                copy[field] = Unscope(text);
            }
        }

        return copy;
    }

    /// <summary>
    /// A chat request bound to this key's caches: its <c>prompt_cache_key</c> scoped, or, without one, this key's
    /// own default cache. The binding must already be resolved (it names the client's key).
    /// </summary>
    public ChatRequest Apply(ChatRequest request)
    {
        var key = Scope(request.PromptCacheKey)
            ?? (Defaults.Get(KeyId) is { } fallback ? Prefix + fallback : null);
        var scoped = key is null ? request : request with { PromptCacheKey = key };
        return IsolatesPrefixes ? scoped with { IsolationTag = KeyId } : scoped;
    }

    /// <summary>
    /// A raw-prompt completion under this key: it has no named cache, but its slot's prefix is this key's alone when
    /// prefixes are isolated, exactly as a chat's.
    /// </summary>
    public TextCompletionRequest Apply(TextCompletionRequest request) =>
        IsolatesPrefixes ? request with { IsolationTag = KeyId } : request;

    /// <summary>
    /// Streams a chat request as the request's key may: its cache names scoped on the way in and unscoped on the way
    /// out; unchanged without a scope (no API keys).
    /// </summary>
    public static IAsyncEnumerable<ChatUpdate> Stream(
        PromptCacheKeyScope? scope, IChatBackend backend, ChatRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backend);
        return scope is null
            ? backend.StreamAsync(request, cancellationToken)
            : scope.Unscope(backend.StreamAsync(scope.Apply(request), cancellationToken), cancellationToken);
    }

    /// <summary>The updates of a reply, with the cache named in its telemetry in the client's terms.</summary>
    public async IAsyncEnumerable<ChatUpdate> Unscope(
        IAsyncEnumerable<ChatUpdate> updates, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in updates.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return update is ChatFinished { Telemetry: { PromptCache: { } cache } telemetry } finished
                ? finished with { Telemetry = telemetry with { PromptCache = cache with { Key = Unscope(cache.Key) } } }
                : update;
        }
    }
}

using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.PromptCaching.Control;
using AbstractEndpoint.PromptCaching.Store;

namespace AbstractEndpoint.PromptCaching.Binding;

/// <summary>
/// Checks a chat request's <c>prompt_cache_binding</c> against what our caches record (upstream's
/// <c>prompt_cache_validate_binding</c>, on the fields we have: the bloc-artifact hashes are compared like the
/// others, so a binding that names one our caches never record is a mismatch) and resolves it into the request's
/// <c>prompt_cache_key</c>. The binding itself never reaches the backend.
/// </summary>
public static class PromptCacheBindingValidator
{
    /// <summary>The members compared with the cache's meta when the binding names them (upstream's list).</summary>
    public static IReadOnlyList<string> ComparedFields { get; } =
    [
        PromptCacheMetaKeys.BindingId, "artifact_sha256", "bloc_sha256", "content_sha256", "rendered_recipe_sha256",
        "manifest_version", PromptCacheMetaKeys.Provider, PromptCacheMetaKeys.Model,
    ];

    /// <summary>
    /// The request with its key resolved (the binding's <c>key</c>, else its own), unchanged when it has no binding.
    /// </summary>
    /// <exception cref="PromptCacheBindingException">The binding does not hold; its code says which rule failed.</exception>
    public static ChatRequest Resolve(ChatRequest request, IPromptCacheControl? caches)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.PromptCacheBinding is not { } binding)
        {
            return request;
        }

        var capabilities = caches?.Capabilities ?? PromptCacheCapabilities.None;
        var bindingKey = PromptCacheKeys.Normalize(binding[PromptCacheBinding.KeyField]);
        var requestKey = PromptCacheKeys.Normalize(request.PromptCacheKey);
        if (bindingKey is not null && requestKey is not null && bindingKey != requestKey)
        {
            throw new PromptCacheBindingException(
                PromptCacheErrorCodes.BindingKeyMismatch, "prompt_cache_key and prompt_cache_binding.key must match.", false, capabilities);
        }

        var key = bindingKey ?? requestKey
            ?? throw new PromptCacheBindingException(
                PromptCacheErrorCodes.BindingInvalidKey,
                "prompt_cache_binding names no cache key: send prompt_cache_key, or a binding with a 'key'.", false, capabilities);
        if (binding.IsEmpty)
        {
            throw new PromptCacheBindingException(
                PromptCacheErrorCodes.BindingInvalid, "prompt_cache_binding is empty: name at least a binding_id or a key.", false, capabilities);
        }

        if (caches is null)
        {
            throw new PromptCacheBindingException(
                PromptCacheErrorCodes.BindingError, "this backend has no named prompt caches to bind to.", false, capabilities);
        }

        var meta = caches.Stats().MetaByKey.FirstOrDefault(row => row.Key == key).Value;
        if (meta is null || meta.Count == 0)
        {
            throw new PromptCacheBindingException(
                PromptCacheErrorCodes.BindingMissing, $"prompt cache key '{key}' is not live (never made, expired, evicted or cleared).", true, capabilities);
        }

        foreach (var field in ComparedFields)
        {
            if (binding[field] is not { } expected)
            {
                continue;
            }

            var actual = meta[field] is { } node ? Text(node) : null;
            if (actual != expected)
            {
                throw new PromptCacheBindingException(
                    PromptCacheErrorCodes.BindingMismatch,
                    actual is null
                        ? $"prompt_cache_binding.{field} is '{expected}', but prompt cache '{key}' records no {field}."
                        : $"prompt_cache_binding.{field} is '{expected}', but prompt cache '{key}' records '{actual}'.",
                    true,
                    capabilities);
            }
        }

        return request with { PromptCacheKey = key };
    }

    /// <summary>A meta value as the binding's text: strings trimmed, numbers and booleans as JSON prints them.</summary>
    private static string Text(System.Text.Json.Nodes.JsonNode node) =>
        node.GetValueKind() == System.Text.Json.JsonValueKind.String
            ? Python.PythonWhitespace.Strip(node.GetValue<string>())
            : node.ToJsonString();
}

using System.Collections.Concurrent;

namespace AbstractEndpoint.Host.Security;

/// <summary>
/// Each API key's default named cache (its unscoped name), kept at the edge: with keys configured the engine's single
/// default key is never set by a keyed request, so one key's <c>make_default</c> cannot steer another key's chats.
/// In memory only: after a restart a key sets its default again (its caches themselves may be persisted).
/// </summary>
internal sealed class PromptCacheDefaultKeys
{
    private readonly ConcurrentDictionary<string, string> _byKeyId = new(StringComparer.Ordinal);

    public string? Get(string keyId) => _byKeyId.TryGetValue(keyId, out var name) ? name : null;

    public void Set(string keyId, string name) => _byKeyId[keyId] = name;

    /// <summary>Unsets the key's default; with <paramref name="onlyIf"/>, only when it names that cache.</summary>
    public void Unset(string keyId, string? onlyIf = null)
    {
        if (onlyIf is null)
        {
            _byKeyId.TryRemove(keyId, out _);
        }
        else
        {
            _byKeyId.TryRemove(new KeyValuePair<string, string>(keyId, onlyIf));
        }
    }
}

namespace AbstractEndpoint.Core.Chat;

/// <summary>
/// A chat request's <c>prompt_cache_binding</c>: the identity of a cache the client expects its key to hold (a bare
/// string is a <c>binding_id</c>). <see cref="Fields"/> holds the members that were not null, as text (strings
/// trimmed, other values as Python's <c>str()</c> prints them), in the order sent; it is empty for <c>{}</c>.
/// </summary>
public sealed record PromptCacheBinding(IReadOnlyList<KeyValuePair<string, string>> Fields)
{
    /// <summary>The member that names the cache key, if the binding has one.</summary>
    public const string KeyField = "key";

    /// <summary>The member a bare string becomes.</summary>
    public const string BindingIdField = "binding_id";

    /// <summary>The binding named no member at all (<c>{}</c>), which upstream refuses.</summary>
    public bool IsEmpty { get; init; }

    /// <summary>A member's text, or null when the binding does not name it.</summary>
    public string? this[string name] => Fields.FirstOrDefault(f => f.Key == name).Value;
}

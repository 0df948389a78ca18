namespace AbstractEndpoint.PromptCaching.Manager;

/// <summary>
/// Reads a fragment's messages and tools (objects in the wire format that carried them) into domain types. The
/// protocol that parsed the request supplies it; the manager calls it only when it appends the fragment, because
/// the original looked at messages only then: a blank key, an immutable target or a failed allocation answers
/// <c>ok:false</c> (or prepare_modules' error) even when a message is malformed.
/// </summary>
public interface IPromptCacheFragmentReader
{
    /// <summary>The fragment in domain terms; throws an <see cref="Core.Errors.InvalidRequestException"/> for a malformed item.</summary>
    PromptCacheAppend Read(PromptCacheFragment fragment);
}

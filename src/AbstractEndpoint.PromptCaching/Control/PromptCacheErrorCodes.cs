namespace AbstractEndpoint.PromptCaching.Control;

/// <summary>
/// The coded errors of AbstractCore's newest control-plane contract (<c>{"supported":false,"operation","code",
/// "error","capabilities"}</c>, HTTP 200), and the chat binding's codes (an HTTP error with this code).
/// </summary>
public static class PromptCacheErrorCodes
{
    /// <summary>The backend has no named caches, or not this operation.</summary>
    public const string Unsupported = "prompt_cache_unsupported";

    /// <summary>A key (set, update, fork's keys) is missing or blank.</summary>
    public const string InvalidKey = "prompt_cache_invalid_key";

    /// <summary>fork: the source key does not exist.</summary>
    public const string MissingSourceKey = "prompt_cache_missing_source_key";

    /// <summary>clear: the key does not exist.</summary>
    public const string MissingKey = "prompt_cache_missing_key";

    /// <summary>update: the key's entry has no engine state to append to.</summary>
    public const string MissingBackendState = "prompt_cache_missing_backend_state";

    /// <summary>A fragment (update, a module) could not be appended: it does not fit, or it was refused; the text says why.</summary>
    public const string AppendFailed = "prompt_cache_append_failed";

    /// <summary>A cache could not be copied (no free cache sequence).</summary>
    public const string CloneFailed = "prompt_cache_clone_failed";

    /// <summary>A copy could not be stored under its key.</summary>
    public const string StoreFailed = "prompt_cache_store_failed";

    /// <summary>prepare_modules: the namespace is missing or blank.</summary>
    public const string InvalidNamespace = "prompt_cache_invalid_namespace";

    /// <summary>prepare_modules: a module is invalid; nothing is built.</summary>
    public const string InvalidModule = "prompt_cache_invalid_module";

    /// <summary>prepare_modules: the list of modules is empty.</summary>
    public const string NoModules = "prompt_cache_no_modules";

    /// <summary>update, prepare_modules: <c>thinking</c> is not one of the accepted words.</summary>
    public const string InvalidThinking = "prompt_cache_invalid_thinking";

    /// <summary>No cache could be made (every cache sequence is in use).</summary>
    public const string BackendUnavailable = "prompt_cache_backend_unavailable";

    /// <summary>Any other failure of an operation.</summary>
    public const string OperationFailed = "prompt_cache_operation_failed";

    /// <summary>Chat: <c>prompt_cache_key</c> and <c>prompt_cache_binding.key</c> differ (400).</summary>
    public const string BindingKeyMismatch = "prompt_cache_binding_key_mismatch";

    /// <summary>Chat: the binding resolves to no key (400).</summary>
    public const string BindingInvalidKey = "prompt_cache_binding_invalid_key";

    /// <summary>Chat: the binding is an empty object (400).</summary>
    public const string BindingInvalid = "prompt_cache_binding_invalid";

    /// <summary>Chat: the bound key is not live (409).</summary>
    public const string BindingMissing = "prompt_cache_binding_missing";

    /// <summary>Chat: a field the binding names differs from the cache's record (409).</summary>
    public const string BindingMismatch = "prompt_cache_binding_mismatch";

    /// <summary>Chat: any other binding failure (400).</summary>
    public const string BindingError = "prompt_cache_error";
}

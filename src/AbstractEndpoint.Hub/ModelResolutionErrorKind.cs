namespace AbstractEndpoint.Hub;

/// <summary>Why a model could not be resolved; lets the host pick an exit code without parsing messages.</summary>
public enum ModelResolutionErrorKind
{
    /// <summary>The <c>--model</c> / <c>--hf-file</c> values do not form a valid reference.</summary>
    InvalidReference,

    /// <summary>No such file, repository, or matching .gguf (locally, in the cache, or on the hub).</summary>
    NotFound,

    /// <summary>The hub refused access (HTTP 401/403): a gated or private repository, or a bad token.</summary>
    AccessDenied,

    /// <summary>The hub could not be reached or the transfer broke off.</summary>
    Network,

    /// <summary>Downloaded bytes do not match the size or sha256 the hub reported.</summary>
    Integrity,

    /// <summary>The cache cannot take the download: not enough free space, or not writable.</summary>
    Storage,
}

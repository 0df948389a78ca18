namespace AbstractEndpoint.Hub;

/// <summary>What a <c>--model</c> value names.</summary>
public enum ModelReferenceKind
{
    /// <summary>A <c>.gguf</c> file on disk.</summary>
    LocalFile,

    /// <summary>A Hugging Face repository (<c>org/name</c>), optionally with a quant tag or an exact file.</summary>
    HubRepository,
}

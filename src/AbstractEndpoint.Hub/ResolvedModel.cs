namespace AbstractEndpoint.Hub;

/// <summary>A model that is on disk and ready to load.</summary>
/// <param name="Path">The file to hand to llama.cpp: the .gguf itself, or the first part of a split model
/// (llama.cpp opens the other parts from the same folder).</param>
/// <param name="Files">Every file of the model (one entry, or all parts of a split model), in part order.</param>
/// <param name="RepoId">The Hugging Face repository, or null for a local file.</param>
/// <param name="Revision">The commit hash the files belong to, or null for a local file.</param>
/// <param name="Downloaded">True when at least one file was fetched from the hub during this resolution.</param>
public sealed record ResolvedModel(
    string Path,
    IReadOnlyList<string> Files,
    string? RepoId,
    string? Revision,
    bool Downloaded);

namespace AbstractEndpoint.Hub;

/// <summary>
/// One loadable model inside a repository: a single .gguf, or every part of a split .gguf.
/// Paths are repository paths ('/'-separated, relative to the snapshot root).
/// </summary>
/// <param name="PrimaryFile">The file llama.cpp is given (the first part of a split model).</param>
/// <param name="Parts">All files of the model in part order; a single-file model has just one.</param>
internal sealed record GgufModelFiles(string PrimaryFile, IReadOnlyList<string> Parts);

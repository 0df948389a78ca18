namespace AbstractEndpoint.Gguf.Synthetic;

/// <summary>What <see cref="SyntheticModel.Write"/> produced.</summary>
/// <param name="Path">The file written.</param>
/// <param name="FileSize">Its size in bytes.</param>
/// <param name="ParameterCount">Number of weights.</param>
/// <param name="TensorCount">Number of tensors.</param>
/// <param name="VocabularySize">Number of tokens.</param>
/// <param name="Elapsed">Time to generate and write it.</param>
public sealed record SyntheticModelSummary(
    string Path, long FileSize, long ParameterCount, int TensorCount, int VocabularySize, TimeSpan Elapsed);

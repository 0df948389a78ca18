namespace AbstractEndpoint.Engine.Runtime;

/// <summary>What the scheduler must know about the loaded model and context.</summary>
/// <param name="ContextSize">KV cells shared by all sequences (unified KV cache).</param>
/// <param name="BatchSize">Most tokens one decode may carry; more aborts llama.cpp, so the planner never exceeds it.</param>
/// <param name="SequenceCount">Parallel sequences (slots) the context was created for.</param>
/// <param name="TrainContextSize">The context length the model was trained with.</param>
/// <param name="ChatTemplate">The model's own Jinja chat template, if it carries one.</param>
public sealed record ModelInfo(
    int ContextSize,
    int BatchSize,
    int SequenceCount,
    int TrainContextSize,
    string? ChatTemplate);

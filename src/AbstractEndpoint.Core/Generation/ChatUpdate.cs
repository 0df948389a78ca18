namespace AbstractEndpoint.Core.Generation;

/// <summary>
/// One step of a streamed reply. A backend yields <see cref="ChatAccepted"/> once the request is admitted (so the
/// HTTP layer can still answer with an error status before that), then deltas, then one
/// <see cref="ChatFinished"/> per choice.
/// </summary>
public abstract record ChatUpdate;

/// <summary>The request passed validation and admission; nothing can fail with a client error after this.</summary>
public sealed record ChatAccepted(int PromptTokens) : ChatUpdate;

/// <summary>A piece of choice <paramref name="Choice"/>'s text (whole UTF-8 characters, never part of a stop sequence).</summary>
public sealed record ContentDelta(string Text, int Choice = 0) : ChatUpdate;

/// <summary>
/// The end of one choice. <see cref="Usage"/> counts that choice's completion tokens; with <c>n</c> choices the
/// request's usage is the prompt once plus every choice's completion tokens.
/// </summary>
public sealed record ChatFinished(FinishReason Reason, Usage Usage, int Choice = 0) : ChatUpdate;

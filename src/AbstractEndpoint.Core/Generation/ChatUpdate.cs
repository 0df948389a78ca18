namespace AbstractEndpoint.Core.Generation;

/// <summary>
/// One step of a streamed reply. A backend yields <see cref="ChatAccepted"/> once the request is admitted (so the
/// HTTP layer can still answer with an error status before that), then deltas, then exactly one
/// <see cref="ChatFinished"/>.
/// </summary>
public abstract record ChatUpdate;

/// <summary>The request passed validation and admission; nothing can fail with a client error after this.</summary>
public sealed record ChatAccepted(int PromptTokens) : ChatUpdate;

/// <summary>A piece of the reply's text (whole UTF-8 characters, never part of a stop sequence).</summary>
public sealed record ContentDelta(string Text) : ChatUpdate;

/// <summary>The end of the reply.</summary>
public sealed record ChatFinished(FinishReason Reason, Usage Usage) : ChatUpdate;

namespace AbstractEndpoint.Core.Generation;

/// <summary>
/// What a backend reports about how it produced a reply, beyond usage: its scheduling and, when a named prompt cache
/// applied, what it did with it. Carried on <see cref="ChatFinished"/>; each wire format writes it with one writer
/// (AbstractCore's <c>abstractcore</c> object: Protocol's <c>AbstractCore/ReplyTelemetryJson</c>).
/// </summary>
public sealed record ReplyTelemetry(ExecutionReport Execution, PromptCacheReport? PromptCache = null);

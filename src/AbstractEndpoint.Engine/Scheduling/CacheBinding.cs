namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>
/// Ties a job to a named prompt cache's KV sequence: the job starts from the cache's cells (the longest common
/// prefix is copied into its slot, not recomputed) and, when <paramref name="Advance"/>, the cache takes the job's
/// prompt and reply afterwards, together with <paramref name="Conversation"/> (plus the reply), in one step on the
/// loop, so the next turn continues from there.
/// </summary>
/// <param name="Sequence">The cache's llama.cpp sequence id.</param>
/// <param name="Owner">The cache that held the sequence when the job was bound; if it has been freed since, the job neither reads nor advances it.</param>
/// <param name="Advance">False for immutable snapshots (prepare_modules keys): read, never written.</param>
/// <param name="Conversation">What the job's prompt was rendered from; becomes the cache's conversation when it advances.</param>
public sealed record CacheBinding(int Sequence, long Owner, bool Advance, CacheConversation Conversation);

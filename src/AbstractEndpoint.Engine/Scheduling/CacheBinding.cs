namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>
/// Ties a job to a named prompt cache's KV sequence: the job starts from the cache's cells (the longest common
/// prefix is copied into its slot, not recomputed) and, when <paramref name="Advance"/>, the cache takes the job's
/// prompt and reply afterwards so the next turn continues from there.
/// </summary>
/// <param name="Sequence">The cache's llama.cpp sequence id.</param>
/// <param name="Advance">False for immutable snapshots (prepare_modules keys): read, never written.</param>
public sealed record CacheBinding(int Sequence, bool Advance);

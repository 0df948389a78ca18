namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>The automatic prompt cache in host memory, as the loop last published it.</summary>
/// <param name="Entries">Saved prefixes held.</param>
/// <param name="Bytes">Their llama.cpp state, in bytes (named caches' spilled state is counted by the cache table).</param>
public sealed record HostCacheSnapshot(int Entries, long Bytes);

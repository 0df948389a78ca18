namespace AbstractEndpoint.Core.Backends;

/// <summary>The automatic prompt cache in host memory: prompt prefixes kept beyond the slots, and their size.</summary>
/// <param name="Entries">Saved prefixes held.</param>
/// <param name="Bytes">Host memory they take (llama.cpp's sequence state), part of the <c>--cache-ram</c> budget.</param>
public sealed record HostCacheUsage(int Entries, long Bytes);

namespace AbstractEndpoint.PromptCaching.Store;

/// <summary>Where an entry's state lives; reported in stats meta as "kv", "ram" or "disk".</summary>
public enum PromptCacheLocation
{
    /// <summary>Resident in the model's KV cache (a llama.cpp sequence).</summary>
    Kv,

    /// <summary>Saved out of the KV cache into process memory.</summary>
    Ram,

    /// <summary>Saved to a file.</summary>
    Disk,
}

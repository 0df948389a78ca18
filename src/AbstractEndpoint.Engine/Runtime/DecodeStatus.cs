namespace AbstractEndpoint.Engine.Runtime;

/// <summary>Outcome of a decode, mirroring llama.cpp's codes that the scheduler can act on.</summary>
public enum DecodeStatus
{
    Ok,

    /// <summary>The KV cache has no room for the batch; recoverable by freeing cells.</summary>
    NoKvSlot,

    /// <summary>Anything else: the batch's outputs are not usable.</summary>
    Failed,
}

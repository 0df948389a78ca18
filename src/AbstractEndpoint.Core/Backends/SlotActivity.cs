namespace AbstractEndpoint.Core.Backends;

/// <summary>What a slot is doing; <c>/slots</c> reports the lowercased name.</summary>
public enum SlotActivity
{
    /// <summary>No job; its KV cells may still hold a reusable prefix.</summary>
    Idle,

    /// <summary>Feeding the prompt into the KV cache.</summary>
    Prefilling,

    /// <summary>An extra choice of a job, waiting for the first choice's prompt to be computed and copied over.</summary>
    AwaitingFork,

    /// <summary>Sampling one token per step.</summary>
    Generating,
}

namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>Where a slot is in serving its job.</summary>
public enum SlotPhase
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

namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>A read-only view of one slot, for the <c>/slots</c> debugging route.</summary>
public sealed record SlotState(int Id, SlotPhase Phase, int CachedTokens, int PromptTokens, int GeneratedTokens);

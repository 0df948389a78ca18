namespace AbstractEndpoint.Core.Backends;

/// <summary>A read-only view of one slot at one moment.</summary>
public sealed record SlotSnapshot(int Id, SlotActivity Activity, int CachedTokens, int PromptTokens, int GeneratedTokens);

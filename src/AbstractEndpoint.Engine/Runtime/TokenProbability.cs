namespace AbstractEndpoint.Engine.Runtime;

/// <summary>A token id and its log probability at one position.</summary>
public readonly record struct TokenProbability(int Token, float Logprob);

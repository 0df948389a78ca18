namespace AbstractEndpoint.Engine.Tests.Fakes;

/// <summary>A <c>RemoveTokens</c> call the fake received.</summary>
public sealed record TokenRemoval(int Sequence, int From, int To);

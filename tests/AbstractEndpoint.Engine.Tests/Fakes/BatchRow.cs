namespace AbstractEndpoint.Engine.Tests.Fakes;

/// <summary>One row of a decode the fake was given.</summary>
public sealed record BatchRow(int Token, int Position, int Sequence, bool WantsLogits);

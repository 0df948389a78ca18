namespace AbstractEndpoint.Engine.Tests.Fakes;

/// <summary>A <c>CopySequence</c> call the fake received.</summary>
public sealed record SequenceCopy(int Source, int Destination, int From, int To);

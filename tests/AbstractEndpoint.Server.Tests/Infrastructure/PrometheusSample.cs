namespace AbstractEndpoint.Server.Tests.Infrastructure;

/// <summary>One sample line of a Prometheus exposition; <paramref name="Family"/> is the TYPE it belongs to.</summary>
public sealed record PrometheusSample(string Name, string Family, IReadOnlyDictionary<string, string> Labels, double Value);

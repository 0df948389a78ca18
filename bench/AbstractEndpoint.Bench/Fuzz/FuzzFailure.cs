namespace AbstractEndpoint.Bench.Fuzz;

/// <summary>One body that broke the contract: its route, mutation, bytes (as Base64) and what came back.</summary>
public sealed record FuzzFailure(string Path, string Mutation, string BodyBase64, string Outcome);

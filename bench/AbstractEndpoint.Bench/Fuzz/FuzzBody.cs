namespace AbstractEndpoint.Bench.Fuzz;

/// <summary>One generated request: the route it goes to, its bytes and the mutation that made it (for reports).</summary>
public sealed record FuzzBody(string Path, byte[] Bytes, string Mutation);

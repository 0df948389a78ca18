using AbstractEndpoint.Host.Cli;

namespace AbstractEndpoint.Server.Tests.Cli;

/// <summary>Environment variables from a dictionary, blank counting as unset as in the real environment.</summary>
internal sealed class VariableTable(Dictionary<string, string> values) : IEnvironment
{
    public string? Get(string name) =>
        values.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}

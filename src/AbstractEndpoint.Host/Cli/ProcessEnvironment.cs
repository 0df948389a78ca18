namespace AbstractEndpoint.Host.Cli;

/// <summary>The real process environment.</summary>
internal sealed class ProcessEnvironment : IEnvironment
{
    public static readonly ProcessEnvironment Instance = new();

    public string? Get(string name) =>
        Environment.GetEnvironmentVariable(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}

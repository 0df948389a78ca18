namespace AbstractEndpoint.Host.Cli;

/// <summary>Environment variable lookup (a seam so tests need not change the process environment).</summary>
internal interface IEnvironment
{
    /// <summary>The variable's value, or null when it is unset or blank (blank counts as unset).</summary>
    string? Get(string name);
}

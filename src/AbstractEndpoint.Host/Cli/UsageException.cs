namespace AbstractEndpoint.Host.Cli;

/// <summary>A configuration mistake (a flag, an environment variable, the config file): printed as one line, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

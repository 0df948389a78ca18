namespace AbstractEndpoint.Host.Configuration;

/// <summary>One key of a config file: its value as text (null when empty or null, which counts as unset) and its line.</summary>
internal sealed record ConfigFileEntry(string? Text, int Line);

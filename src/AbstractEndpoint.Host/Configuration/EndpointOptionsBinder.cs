using AbstractEndpoint.Host.Cli;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Llama;

namespace AbstractEndpoint.Host.Configuration;

/// <summary>
/// Binds the declared settings into <see cref="EndpointOptions"/>, each from the first of: its flag, its environment
/// variable (blank counts as unset), the config file named by <c>--config</c> / <c>ABSTRACTENDPOINT_CONFIG</c>, its
/// default. Every value, whatever its source, goes through the setting's own parser.
/// </summary>
internal static class EndpointOptionsBinder
{
    /// <param name="flags">Values given on the command line, by setting (a bare switch is "true").</param>
    /// <param name="getVariable">Environment lookup.</param>
    /// <param name="settings">The declarations; <see cref="EndpointSettings.All"/> unless a test passes its own.</param>
    /// <exception cref="UsageException">A value is invalid, the config file is unusable, or settings contradict each other.</exception>
    public static EndpointOptions Bind(
        IReadOnlyDictionary<EndpointSetting, string> flags, Func<string, string?> getVariable, IReadOnlyList<EndpointSetting>? settings = null)
    {
        settings ??= EndpointSettings.All;
        string? Read(string? variable) =>
            variable is not null && getVariable(variable) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
        (string Text, string Name)? Variable(EndpointSetting setting) =>
            Read(setting.EnvironmentVariable) is { } value ? (value, setting.EnvironmentVariable)
            : Read(setting.FormerEnvironmentVariable) is { } former ? (former, setting.FormerEnvironmentVariable!)
            : null;

        var configPath = flags.GetValueOrDefault(EndpointSettings.Config) ?? Variable(EndpointSettings.Config)?.Text;
        var file = configPath is null ? ConfigFile.None : ConfigFile.Read(configPath);
        CheckKeys(file, settings);

        var options = new EndpointOptions { Model = EndpointSettings.Model.Default };
        foreach (var setting in settings)
        {
            var (text, origin) = flags.TryGetValue(setting, out var flag) ? (flag, setting.Flag)
                : Variable(setting) is { } variable ? (variable.Text, variable.Name)
                : InConfigFile(file, setting) is { } inFile ? inFile
                : (null, null);
            try
            {
                options = setting.Apply(options, text);
            }
            catch (FormatException e)
            {
                throw new UsageException($"{origin} {e.Message}");
            }
        }

        CheckTogether(options);
        return options;
    }

    private static void CheckKeys(ConfigFile file, IReadOnlyList<EndpointSetting> settings)
    {
        foreach (var (key, entry) in file.Entries)
        {
            if (settings.Any(s => s.AllowedInConfigFile && (s.Name == key || s.FormerName == key)))
            {
                continue;
            }

            var where = InFile(key, file, entry);
            if (key == EndpointSettings.Config.Name)
            {
                throw new UsageException($"{where}: a config file cannot name another config file.");
            }

            // Common slips: the variable's spelling (ctx_size), capitals, or the flag's dashes.
            var normalized = key.Trim().TrimStart('-').Replace('_', '-').ToLowerInvariant();
            var close = settings.FirstOrDefault(s => s.AllowedInConfigFile && s.Name == normalized);
            throw new UsageException(close is not null
                ? $"{where} is not a setting; did you mean '{close.Name}'?"
                : $"{where} is not a setting. Keys are the long flag names without dashes: {string.Join(", ", settings.Where(s => s.AllowedInConfigFile).Select(s => s.Name))}.");
        }
    }

    /// <summary>The setting's value in the config file (under its name, else its former name) and where it was.</summary>
    private static (string? Text, string? Origin)? InConfigFile(ConfigFile file, EndpointSetting setting)
    {
        foreach (var key in new[] { setting.Name, setting.FormerName })
        {
            if (key is not null && file.Entries.TryGetValue(key, out var entry) && entry.Text is not null)
            {
                return (entry.Text, InFile(key, file, entry));
            }
        }

        return null;
    }

    private static string InFile(string key, ConfigFile file, ConfigFileEntry entry) =>
        entry.Line > 0 ? $"'{key}' in {file.Path} (line {entry.Line})" : $"'{key}' in {file.Path}";

    private static void CheckTogether(EndpointOptions options)
    {
        var states = options.ResponsesStore ? options.ResponsesKvStates : 0;
        if (options.Parallel + options.PromptCacheMaxEntries + 2 + states > EndpointSettings.MaxSequences)
        {
            throw new UsageException(
                $"--parallel plus --prompt-cache-max-entries plus --responses-kv-states must stay within {EndpointSettings.MaxSequences - 2} (llama.cpp's sequence limit).");
        }

        // llama.cpp stores a quantized V cache only through flash attention; without it the context cannot be made.
        if (options.CacheTypeV != KvCacheType.F16 && options.FlashAttention == false)
        {
            throw new UsageException(
                $"--cache-type-v {LlamaRuntimeOptions.CacheTypeName(options.CacheTypeV)} needs flash attention: drop --flash-attn off (or use --cache-type-v f16).");
        }

        if (options.LlamaNativeDir is { } native && !Directory.Exists(native))
        {
            throw new UsageException($"--llama-native-dir '{native}' does not exist.");
        }

        if (Options.Providers.Check(options.Provider) is { } problem)
        {
            throw new UsageException(problem);
        }
    }
}

using System.Text.Json;
using AbstractEndpoint.Host.Cli;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AbstractEndpoint.Host.Configuration;

/// <summary>
/// The file named by <c>--config</c>: one flat mapping from setting names (the long flags without dashes) to single
/// values. A <c>.json</c> file is read as JSON, anything else as YAML. Values stay text so that a file, a flag and an
/// environment variable go through the same parser and checks.
/// </summary>
internal sealed class ConfigFile
{
    private ConfigFile(string path, IReadOnlyDictionary<string, ConfigFileEntry> entries)
    {
        Path = path;
        Entries = entries;
    }

    /// <summary>No file: nothing is set.</summary>
    public static ConfigFile None { get; } = new("", new Dictionary<string, ConfigFileEntry>());

    /// <summary>The full path of the file read.</summary>
    public string Path { get; }

    public IReadOnlyDictionary<string, ConfigFileEntry> Entries { get; }

    /// <exception cref="UsageException">The file is missing, unreadable, not a flat mapping, or not valid JSON/YAML.</exception>
    public static ConfigFile Read(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UsageException($"config file not found: {fullPath}.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read the config file {fullPath}: {e.Message}");
        }

        var entries = System.IO.Path.GetExtension(fullPath).Equals(".json", StringComparison.OrdinalIgnoreCase)
            ? ReadJson(text, fullPath)
            : ReadYaml(text, fullPath);
        return new ConfigFile(fullPath, entries);
    }

    private static Dictionary<string, ConfigFileEntry> ReadJson(string text, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new UsageException($"the config file {path} is not valid JSON: {e.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new UsageException($"the config file {path} must hold one JSON object of settings, e.g. {{\"ctx-size\": 4096}}.");
            }

            // JSON carries no line numbers once parsed; 0 means "not known".
            var entries = new Dictionary<string, ConfigFileEntry>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var value = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Number => property.Value.GetRawText(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    JsonValueKind.Null => null,
                    _ => throw new UsageException($"'{property.Name}' in {path} must be a single value, not an {(property.Value.ValueKind == JsonValueKind.Array ? "array" : "object")}."),
                };
                Add(entries, property.Name, value, line: 0, path);
            }

            return entries;
        }
    }

    private static Dictionary<string, ConfigFileEntry> ReadYaml(string text, string path)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new UsageException($"the config file {path} is not valid YAML (line {e.Start.Line}): {e.Message}");
        }

        var entries = new Dictionary<string, ConfigFileEntry>(StringComparer.Ordinal);
        if (stream.Documents.Count == 0)
        {
            return entries;
        }

        if (stream.Documents.Count > 1 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
        {
            throw new UsageException($"the config file {path} must hold one mapping of settings, e.g. 'ctx-size: 4096'.");
        }

        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var line = (int)keyNode.Start.Line;
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                throw new UsageException($"line {line} of {path}: a setting name must be plain text.");
            }

            if (valueNode is not YamlScalarNode scalar)
            {
                throw new UsageException($"'{key}' in {path} (line {line}) must be a single value, not a list or mapping.");
            }

            // An empty or null plain scalar counts as unset, as a blank environment variable does.
            var isNull = scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";
            Add(entries, key, isNull ? null : scalar.Value, line, path);
        }

        return entries;
    }

    private static void Add(Dictionary<string, ConfigFileEntry> entries, string key, string? value, int line, string path)
    {
        if (!entries.TryAdd(key, new ConfigFileEntry(string.IsNullOrWhiteSpace(value) ? null : value.Trim(), line)))
        {
            throw new UsageException($"'{key}' appears twice in {path}.");
        }
    }
}

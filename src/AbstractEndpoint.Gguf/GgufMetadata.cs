using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace AbstractEndpoint.Gguf;

/// <summary>The metadata of a GGUF file: entries in file order, with lookup by key.</summary>
public sealed class GgufMetadata : IReadOnlyList<GgufMetadataEntry>
{
    private readonly List<GgufMetadataEntry> _entries;
    private readonly Dictionary<string, GgufValue> _byKey;

    public GgufMetadata(IEnumerable<GgufMetadataEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _entries = [.. entries];
        _byKey = new Dictionary<string, GgufValue>(_entries.Count, StringComparer.Ordinal);
        foreach (var entry in _entries)
        {
            if (!_byKey.TryAdd(entry.Key, entry.Value))
            {
                throw new ArgumentException($"duplicate metadata key '{entry.Key}'", nameof(entries));
            }
        }
    }

    public int Count => _entries.Count;

    public GgufMetadataEntry this[int index] => _entries[index];

    /// <summary>The value of <paramref name="key"/>; throws <see cref="KeyNotFoundException"/> when absent.</summary>
    public GgufValue this[string key] =>
        _byKey.TryGetValue(key, out var value)
            ? value
            : throw new KeyNotFoundException($"the GGUF has no metadata key '{key}'");

    public bool ContainsKey(string key) => _byKey.ContainsKey(key);

    public bool TryGetValue(string key, [NotNullWhen(true)] out GgufValue? value) =>
        _byKey.TryGetValue(key, out value);

    /// <summary>The string value of <paramref name="key"/>, or null when absent (throws if it is not a string).</summary>
    public string? GetString(string key) => TryGetValue(key, out var value) ? value.AsString() : null;

    /// <summary>The integer value of <paramref name="key"/> (any integer type), or null when absent.</summary>
    public long? GetInteger(string key) => TryGetValue(key, out var value) ? value.AsInt64() : null;

    /// <summary>The numeric value of <paramref name="key"/> (any numeric type), or null when absent.</summary>
    public double? GetNumber(string key) => TryGetValue(key, out var value) ? value.AsDouble() : null;

    /// <summary>The boolean value of <paramref name="key"/>, or null when absent.</summary>
    public bool? GetBool(string key) => TryGetValue(key, out var value) ? value.AsBool() : null;

    public IEnumerator<GgufMetadataEntry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

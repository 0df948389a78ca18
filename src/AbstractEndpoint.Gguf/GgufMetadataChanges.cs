namespace AbstractEndpoint.Gguf;

/// <summary>
/// Metadata edits to apply when copying a GGUF: keys to set (replaced in place, or appended when new) and keys to
/// remove. Later calls for the same key win.
/// </summary>
public sealed class GgufMetadataChanges
{
    private readonly List<KeyValuePair<string, GgufValue?>> _changes = [];

    /// <summary>Edits in the order they were made; a null value means removal.</summary>
    public IReadOnlyList<KeyValuePair<string, GgufValue?>> Changes => _changes;

    public GgufMetadataChanges Set(string key, GgufValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Record(key, value);
    }

    public GgufMetadataChanges Remove(string key) => Record(key, null);

    /// <summary>Applies the edits to a writer's metadata.</summary>
    public void ApplyTo(GgufWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var (key, value) in _changes)
        {
            if (value is null)
            {
                writer.RemoveMetadata(key);
            }
            else
            {
                writer.SetMetadata(key, value);
            }
        }
    }

    private GgufMetadataChanges Record(string key, GgufValue? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _changes.RemoveAll(change => change.Key == key);
        _changes.Add(new KeyValuePair<string, GgufValue?>(key, value));
        return this;
    }
}

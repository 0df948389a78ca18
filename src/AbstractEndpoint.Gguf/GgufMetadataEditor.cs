namespace AbstractEndpoint.Gguf;

/// <summary>Copies a GGUF with metadata added, replaced or removed; tensor data is copied unchanged and re-aligned.</summary>
public static class GgufMetadataEditor
{
    /// <summary>
    /// Writes <paramref name="destinationPath"/> as <paramref name="sourcePath"/> with <paramref name="changes"/>
    /// applied and returns the new file's header. Replaced keys keep their position, new keys are appended. The
    /// destination may be the source itself: the writer goes through a temporary file that replaces it at the end.
    /// </summary>
    public static GgufFile Rewrite(string sourcePath, string destinationPath, GgufMetadataChanges changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var writer = GgufWriter.FromExisting(GgufFile.Read(sourcePath));
        changes.ApplyTo(writer);
        writer.WriteTo(destinationPath);
        return GgufFile.Read(destinationPath);
    }
}

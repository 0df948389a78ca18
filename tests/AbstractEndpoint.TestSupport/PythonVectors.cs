using System.Text.Json;

namespace AbstractEndpoint.TestSupport;

/// <summary>
/// The vectors CPython computed (tests/AbstractEndpoint.PromptCaching.Tests/Data/generate_python_vectors.py →
/// python_vectors.json), which a test project copies to its output's Data folder.
/// </summary>
public static class PythonVectors
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", "python_vectors.json"))));

    public static JsonElement Root => Document.Value.RootElement;

    public static JsonElement Section(string name) => Root.GetProperty(name);

    /// <summary>Indexes of a section's cases, for xunit theories (one case per row, named by its index).</summary>
    public static TheoryData<int> Indexes(string section)
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Section(section).GetArrayLength(); i++)
        {
            data.Add(i);
        }

        return data;
    }
}

using System.Text.Json.Nodes;

namespace AbstractEndpoint.StructuredOutput.Tests.Schemas;

/// <summary>One corpus entry: a schema, strings the grammar must accept (and that validate), strings it must reject.</summary>
internal sealed record CorpusEntry(string Name, JsonNode? Schema, IReadOnlyList<string> Valid, IReadOnlyList<string> Invalid, bool SkipValidator)
{
    public override string ToString() => Name;
}

internal static class SchemaCorpus
{
    private static readonly Lazy<IReadOnlyList<CorpusEntry>> Entries = new(Load);

    public static IReadOnlyList<CorpusEntry> All => Entries.Value;

    public static CorpusEntry Get(string name) => All.Single(e => e.Name == name);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var e in All)
        {
            data.Add(e.Name);
        }

        return data;
    }

    private static List<CorpusEntry> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Schemas", "corpus.json");
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsArray();
        return root.Select(n => new CorpusEntry(
            n!["name"]!.GetValue<string>(),
            n["schema"]?.DeepClone(),
            n["valid"]!.AsArray().Select(v => v!.GetValue<string>()).ToList(),
            n["invalid"]!.AsArray().Select(v => v!.GetValue<string>()).ToList(),
            n["skipValidator"]?.GetValue<bool>() ?? false)).ToList();
    }
}

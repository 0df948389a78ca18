namespace AbstractEndpoint.Architecture.Tests;

/// <summary>
/// The "Components" table of <c>docs/architecture.md</c>: for each project (short name), the projects and packages it
/// may reference directly. "nothing" is an empty list.
/// </summary>
public static class ComponentTable
{
    private const string Heading = "## Components";

    /// <summary>Parses the first Markdown table after the Components heading (columns: project, role, may reference).</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Parse(string markdown)
    {
        var lines = markdown.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var start = lines.FindIndex(l => l.Trim() == Heading);
        if (start < 0)
        {
            throw new InvalidDataException($"no '{Heading}' section");
        }

        var rows = lines.Skip(start + 1)
            .SkipWhile(l => !l.StartsWith('|'))
            .TakeWhile(l => l.StartsWith('|'))
            .Skip(2) // the header and the separator
            .ToList();
        var table = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var cells = row.Trim().Trim('|').Split('|');
            if (cells.Length < 3)
            {
                throw new InvalidDataException($"a component row needs three cells: {row}");
            }

            var project = ProjectDependencies.ShortName(cells[0].Trim().Trim('`'));
            var allowed = cells[^1].Trim();
            table.Add(project, allowed == "nothing"
                ? new HashSet<string>(StringComparer.Ordinal)
                : allowed.Split(',').Select(n => n.Trim().Trim('`')).Where(n => n.Length > 0).ToHashSet(StringComparer.Ordinal));
        }

        return table;
    }
}

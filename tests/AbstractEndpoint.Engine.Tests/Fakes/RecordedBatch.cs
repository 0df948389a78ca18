using AbstractEndpoint.Engine.Runtime;

namespace AbstractEndpoint.Engine.Tests.Fakes;

/// <summary>A decode call as the fake saw it, with the status it returned.</summary>
public sealed record RecordedBatch(int Index, IReadOnlyList<BatchRow> Rows, DecodeStatus Status)
{
    public int Count => Rows.Count;

    /// <summary>The distinct sequences with at least one row in this batch.</summary>
    public IReadOnlySet<int> Sequences => Rows.Select(r => r.Sequence).ToHashSet();

    public IReadOnlyList<BatchRow> RowsOf(int sequence) => [.. Rows.Where(r => r.Sequence == sequence)];

    public bool Contains(int sequence) => Rows.Any(r => r.Sequence == sequence);

    public override string ToString() =>
        $"#{Index} {Status}: " + string.Join(", ", Rows.GroupBy(r => r.Sequence).Select(g => $"seq{g.Key}×{g.Count()}@{g.First().Position}"));
}

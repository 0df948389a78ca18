using System.Globalization;
using System.Text;

namespace AbstractEndpoint.Bench.Soak;

/// <summary>What a soak saw: every stream started is exactly one of complete, walked away, lost, garbled or refused.</summary>
public sealed record SoakReport(
    int Started, int Complete, int WalkedAway, int Lost, int Garbled, int Refused,
    IReadOnlyList<(double Seconds, double Mebibytes)> ResidentMemory, bool SlotsFreeAtEnd, IReadOnlyList<string> Problems)
{
    public TimeSpan Elapsed { get; init; }

    public long ContentChunks { get; init; }

    public bool Clean => Lost == 0 && Garbled == 0 && Refused == 0 && SlotsFreeAtEnd;

    public override string ToString()
    {
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"{Started} streams in {Elapsed.TotalSeconds:F0} s: {Complete} complete, {WalkedAway} walked away, {Lost} lost, {Garbled} garbled, {Refused} refused; {ContentChunks} content chunks; slots free at the end: {(SlotsFreeAtEnd ? "yes" : "NO")}"));
        if (ResidentMemory.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"\nserver RSS (MiB): first {ResidentMemory[0].Mebibytes:F0}, min {ResidentMemory.Min(s => s.Mebibytes):F0}, max {ResidentMemory.Max(s => s.Mebibytes):F0}, last {ResidentMemory[^1].Mebibytes:F0}");
            text.Append("\n  samples: ").AppendJoin(", ", ResidentMemory.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Seconds:F0}s={s.Mebibytes:F0}")));
        }

        foreach (var problem in Problems)
        {
            text.Append("\n  ").Append(problem);
        }

        return text.ToString();
    }
}

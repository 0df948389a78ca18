namespace AbstractEndpoint.Python;

/// <summary>
/// Orders strings by Unicode code point, as Python compares <c>str</c>. Ordinal UTF-16 order differs for astral
/// characters: their surrogates (U+D800–DFFF) sort before U+E000–FFFF in UTF-16 but after them as code points.
/// </summary>
public sealed class CodePointComparer : IComparer<string>
{
    public static CodePointComparer Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            var a = CodePointAt(x, ref i);
            var b = CodePointAt(y, ref j);
            if (a != b)
            {
                return a < b ? -1 : 1;
            }
        }

        return (x.Length - i).CompareTo(y.Length - j);
    }

    /// <summary>Reads one code point; an unpaired surrogate counts as its own value, as in Python.</summary>
    private static int CodePointAt(string text, ref int index)
    {
        var unit = text[index++];
        if (char.IsHighSurrogate(unit) && index < text.Length && char.IsLowSurrogate(text[index]))
        {
            return char.ConvertToUtf32(unit, text[index++]);
        }

        return unit;
    }
}

using System.Globalization;
using AbstractEndpoint.StructuredOutput.Gbnf;

namespace AbstractEndpoint.StructuredOutput.Schema;

/// <summary>
/// Exact digit grammars for integer ranges (the classic "range to regex" split by digit count and leading digit),
/// and a sound under-approximation for bounded numbers. Grammar integers have at most <see cref="MaxDigits"/> digits,
/// which also stops a model from emitting digits forever.
/// </summary>
internal static class NumericRangeGrammar
{
    public const int MaxDigits = 16;

    /// <summary>The largest magnitude the grammar can spell (16 nines).</summary>
    public const long Limit = 9_999_999_999_999_999;

    /// <summary>Fraction digits allowed after the point.</summary>
    public const string Fraction = "\".\" [0-9]{1,16}";

    /// <summary>Integers in [min, max]; null bounds are open. Returns null when the range is empty.</summary>
    public static string? Integer(long? min, long? max)
    {
        var lo = Math.Max(min ?? -Limit, -Limit);
        var hi = Math.Min(max ?? Limit, Limit);
        if (lo > hi)
        {
            return null;
        }

        var parts = new List<string>();
        if (lo < 0)
        {
            var negHi = Math.Min(hi, -1);
            parts.Add("\"-\" " + Group(NonNegative(-negHi, -lo)));
        }

        if (hi >= 0)
        {
            parts.Add(NonNegative(Math.Max(lo, 0), hi));
        }

        return Alternatives(parts);
    }

    /// <summary>
    /// Numbers in the given bounds: every integer in range, plus <c>I.F</c> forms whose whole interval
    /// [I, I+1) lies inside the bounds (fractions next to a fractional bound are left out). No exponents.
    /// Returns null when nothing can be spelled.
    /// </summary>
    public static string? Number(decimal? min, bool minExclusive, decimal? max, bool maxExclusive)
    {
        long? Clamp(decimal v) => v > Limit ? Limit + 1 : v < -Limit ? -Limit - 1 : (long)v;

        var parts = new List<string>();

        long? intLo = min is { } a ? Clamp(minExclusive ? Math.Floor(a) + 1 : Math.Ceiling(a)) : null;
        long? intHi = max is { } b ? Clamp(maxExclusive ? Math.Ceiling(b) - 1 : Math.Floor(b)) : null;
        if (Integer(intLo, intHi) is { } ints)
        {
            parts.Add(ints);
        }

        // Positive fractions I.F with I >= 0: need I >= lo (or > lo when exclusive) and I + 1 <= hi.
        var posLo = Math.Max(0, min is { } c ? Clamp(minExclusive ? Math.Floor(c) + 1 : Math.Ceiling(c)) ?? 0 : 0);
        long? posHi = max is { } d ? Clamp(Math.Floor(d) - 1) : null;
        if (posHi is null || posLo <= posHi)
        {
            var ip = Integer(posLo, posHi);
            if (ip is not null)
            {
                parts.Add(Group(ip) + " " + Fraction);
            }
        }

        // Negative fractions -I.F lie in (-(I+1), -I]: need -I <= hi (or < hi) and I + 1 <= -lo.
        var negLo = Math.Max(0, max is { } e ? Clamp(maxExclusive ? Math.Floor(-e) + 1 : Math.Ceiling(-e)) ?? 0 : 0);
        long? negHi = min is { } f ? Clamp(Math.Floor(-f) - 1) : null;
        if (negHi is null || negLo <= negHi)
        {
            var ineg = Integer(negLo, negHi);
            if (ineg is not null)
            {
                parts.Add("\"-\" " + Group(ineg) + " " + Fraction);
            }
        }

        // An exclusive whole bound on the zero side ("positive number", "negative number") still admits fractions
        // of the bound's own unit: 0.5 > 0 and -0.5 < 0. Those need a non-zero fraction digit.
        const string NonZeroFraction = "\".\" \"0\"{0,14} [1-9] [0-9]{0,14}";
        if (minExclusive && min is { } g && g >= 0 && g == Math.Floor(g) && g < Limit && (max is null || max >= g + 1))
        {
            parts.Add("\"" + ((long)g).ToString(CultureInfo.InvariantCulture) + "\" " + NonZeroFraction);
        }

        if (maxExclusive && max is { } h && h <= 0 && h == Math.Floor(h) && h > -Limit && (min is null || min <= h - 1))
        {
            parts.Add("\"-" + ((long)-h).ToString(CultureInfo.InvariantCulture) + "\" " + NonZeroFraction);
        }

        return parts.Count == 0 ? null : Alternatives(parts);
    }

    /// <summary>Non-negative integers in [a, b] (0 &lt;= a &lt;= b &lt;= Limit), without leading zeros.</summary>
    internal static string NonNegative(long a, long b)
    {
        var parts = new List<string>();
        if (a == 0)
        {
            parts.Add("\"0\"");
            if (b == 0)
            {
                return parts[0];
            }

            a = 1;
        }

        var la = Digits(a);
        var lb = Digits(b);
        if (b == Limit && la < MaxDigits)
        {
            // Open-ended: the rest of a's length, then any longer number.
            parts.Add(SameLength(a.ToString(CultureInfo.InvariantCulture), new string('9', la)));
            parts.Add("[1-9] [0-9]{" + la.ToString(CultureInfo.InvariantCulture) + "," + (MaxDigits - 1).ToString(CultureInfo.InvariantCulture) + "}");
            return Alternatives(parts);
        }

        for (var len = la; len <= lb; len++)
        {
            var lo = len == la ? a : Pow10(len - 1);
            var hi = len == lb ? b : Pow10(len) - 1;
            parts.Add(SameLength(lo.ToString(CultureInfo.InvariantCulture), hi.ToString(CultureInfo.InvariantCulture)));
        }

        return Alternatives(parts);
    }

    private static string SameLength(string lo, string hi)
    {
        if (lo.Length == 0)
        {
            return string.Empty;
        }

        if (lo == hi)
        {
            return "\"" + lo + "\"";
        }

        var p = 0;
        while (lo[p] == hi[p])
        {
            p++;
        }

        if (p > 0)
        {
            return Prefixed(lo[..p], SameLength(lo[p..], hi[p..]));
        }

        var rest = lo.Length - 1;
        var loRestZero = lo.AsSpan(1).IndexOfAnyExcept('0') < 0;
        var hiRestNine = hi.AsSpan(1).IndexOfAnyExcept('9') < 0;
        var parts = new List<string>();
        var start = lo[0];
        var end = hi[0];
        if (!loRestZero)
        {
            parts.Add(Prefixed(lo[..1], SameLength(lo[1..], new string('9', rest))));
            start++;
        }

        if (!hiRestNine)
        {
            end--;
        }

        if (start <= end)
        {
            parts.Add(Join(Class(start, end), AnyDigits(rest)));
        }

        if (!hiRestNine)
        {
            parts.Add(Prefixed(hi[..1], SameLength(new string('0', rest), hi[1..])));
        }

        return Alternatives(parts);
    }

    // Digits then an expression; a digit-literal expression merges into one literal ("3" "0" -> "30").
    private static string Prefixed(string digits, string expr) =>
        expr.Length > 1 && expr[0] == '"' && expr[^1] == '"' && expr.AsSpan(1, expr.Length - 2).IndexOfAnyExceptInRange('0', '9') < 0
            ? "\"" + digits + expr[1..]
            : "\"" + digits + "\" " + Group(expr);

    private static string Class(char from, char to) => from == to ? "\"" + from + "\"" : "[" + from + "-" + to + "]";

    private static string AnyDigits(int n) => n switch
    {
        0 => string.Empty,
        1 => "[0-9]",
        _ => "[0-9]{" + n.ToString(CultureInfo.InvariantCulture) + "}",
    };

    private static string Join(string a, string b) => b.Length == 0 ? a : a + " " + b;

    private static string Alternatives(List<string> parts) => GbnfExpr.Alt(parts);

    private static string Group(string expr) => GbnfExpr.Group(expr);

    private static int Digits(long v) => v.ToString(CultureInfo.InvariantCulture).Length;

    private static long Pow10(int n)
    {
        long r = 1;
        for (var i = 0; i < n; i++)
        {
            r *= 10;
        }

        return r;
    }
}

using System.Globalization;

namespace AbstractEndpoint.StructuredOutput.Gbnf;

/// <summary>
/// Any text that does not contain a delimiter, as GBNF: the KMP automaton for the delimiter with one rule per
/// state (how much of the delimiter was just seen). Used for free text that a closing tag ends, such as reasoning
/// before <c>&lt;/think&gt;</c> or a raw string parameter before <c>&lt;/parameter&gt;</c>.
/// </summary>
internal static class GbnfUntil
{
    public static string Build(GbnfBuilder b, string delimiter, string name)
    {
        var d = delimiter.EnumerateRunes().Select(r => r.Value).ToArray();
        var n = d.Length;
        var failure = new int[n];
        for (int i = 1, k = 0; i < n; i++)
        {
            while (k > 0 && d[i] != d[k])
            {
                k = failure[k - 1];
            }

            if (d[i] == d[k])
            {
                k++;
            }

            failure[i] = k;
        }

        int Next(int state, int c)
        {
            while (state > 0 && d[state] != c)
            {
                state = failure[state - 1];
            }

            return d[state] == c ? state + 1 : 0;
        }

        var names = new string[n];
        for (var s = 0; s < n; s++)
        {
            names[s] = b.Reserve(name + "-" + s.ToString(CultureInfo.InvariantCulture));
        }

        for (var s = 0; s < n; s++)
        {
            var special = d.Take(s + 1).Distinct().Where(c => Next(s, c) != 0).OrderBy(c => c).ToList();
            var options = new List<string>();
            foreach (var c in special)
            {
                var next = Next(s, c);
                if (next < n)
                {
                    options.Add(GbnfText.Literal(char.ConvertFromUtf32(c)) + " " + names[next]);
                }
            }

            options.Add(GbnfText.CharClass(special.Select(c => (c, c)), negated: true) + " " + names[0]);
            options.Add(string.Empty);
            b.Define(names[s], GbnfExpr.Alt(options));
        }

        return names[0];
    }
}

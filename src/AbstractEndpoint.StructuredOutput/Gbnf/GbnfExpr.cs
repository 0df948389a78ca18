using System.Globalization;

namespace AbstractEndpoint.StructuredOutput.Gbnf;

/// <summary>
/// Composition of GBNF expressions as text, adding parentheses only where precedence needs them so the emitted
/// grammar stays readable (and golden tests stay stable).
/// </summary>
internal static class GbnfExpr
{
    /// <summary>Alternation; an empty list is an error because it would match nothing.</summary>
    public static string Alt(IEnumerable<string> options)
    {
        var list = options.Distinct(StringComparer.Ordinal).ToList();
        if (list.Count == 0)
        {
            throw new InvalidOperationException("An alternation needs at least one option.");
        }

        if (list.Count == 1)
        {
            return list[0];
        }

        // An empty option cannot be written between bars portably; make the whole thing optional instead.
        var hasEmpty = list.Remove(string.Empty);
        var joined = string.Join(" | ", list);
        return hasEmpty ? Opt(joined) : joined;
    }

    public static string Alt(params string[] options) => Alt((IEnumerable<string>)options);

    /// <summary>Concatenation; empty parts are dropped.</summary>
    public static string Seq(params string[] parts)
    {
        var kept = parts.Where(p => p.Length > 0).Select(p => HasTopLevelBar(p) ? "(" + p + ")" : p).ToList();
        return string.Join(" ", kept);
    }

    public static string Opt(string expr) => Repeat(expr, 0, 1);

    public static string Star(string expr) => Repeat(expr, 0, null);

    /// <summary><paramref name="expr"/> repeated min..max times (max null = unbounded).</summary>
    public static string Repeat(string expr, int min, int? max)
    {
        if (max == 0 || expr.Length == 0)
        {
            return string.Empty;
        }

        if (min == 1 && max == 1)
        {
            return expr;
        }

        var atom = IsAtom(expr) ? expr : "(" + expr + ")";
        var inv = CultureInfo.InvariantCulture;
        return (min, max) switch
        {
            (0, null) => atom + "*",
            (1, null) => atom + "+",
            (0, 1) => atom + "?",
            (_, null) => atom + "{" + min.ToString(inv) + ",}",
            _ when min == max => atom + "{" + min.ToString(inv) + "}",
            _ => atom + "{" + min.ToString(inv) + "," + max!.Value.ToString(inv) + "}",
        };
    }

    /// <summary>Parenthesised unless it is already a single unquantified term.</summary>
    public static string Group(string expr) => IsAtom(expr) ? expr : "(" + expr + ")";

    /// <summary>True for a rule name, a literal, a class, <c>.</c> or one parenthesised group, with no quantifier.</summary>
    public static bool IsAtom(string expr)
    {
        if (expr.Length == 0)
        {
            return false;
        }

        var end = SkipTerm(expr, 0);
        return end == expr.Length;
    }

    private static bool HasTopLevelBar(string expr)
    {
        var i = 0;
        while (i < expr.Length)
        {
            if (expr[i] == '|')
            {
                return true;
            }

            var next = SkipTerm(expr, i);
            i = next > i ? next : i + 1;
        }

        return false;
    }

    // Returns the index just after the term starting at i (a literal, class, group, or name/other character run).
    private static int SkipTerm(string s, int i)
    {
        switch (s[i])
        {
            case '"':
                return SkipQuoted(s, i, '"');
            case '[':
                return SkipQuoted(s, i, ']');
            case '(':
                var depth = 0;
                for (var j = i; j < s.Length; j++)
                {
                    switch (s[j])
                    {
                        case '"':
                            j = SkipQuoted(s, j, '"') - 1;
                            break;
                        case '[':
                            j = SkipQuoted(s, j, ']') - 1;
                            break;
                        case '(':
                            depth++;
                            break;
                        case ')':
                            if (--depth == 0)
                            {
                                return j + 1;
                            }

                            break;
                    }
                }

                return s.Length;
            default:
                var k = i;
                while (k < s.Length && (char.IsAsciiLetterOrDigit(s[k]) || s[k] == '-' || s[k] == '.'))
                {
                    k++;
                }

                return k;
        }
    }

    private static int SkipQuoted(string s, int i, char close)
    {
        for (var j = i + 1; j < s.Length; j++)
        {
            if (s[j] == '\\')
            {
                j++;
            }
            else if (s[j] == close)
            {
                return j + 1;
            }
        }

        return s.Length;
    }
}

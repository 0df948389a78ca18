using System.Text;
using static AbstractEndpoint.StructuredOutput.Tests.Gbnf.GbnfGrammar;

namespace AbstractEndpoint.StructuredOutput.Tests.Gbnf;

/// <summary>Random strings from a GBNF grammar (bounded depth), to check that everything the grammar admits is valid.</summary>
internal sealed class GbnfSampler
{
    private const int DepthLimit = 14;

    // Characters tried for negated classes: ASCII variety, escapes' raw forms, non-ASCII and astral code points.
    private static readonly int[] Pool = "abcxyzABCXYZ0189 _-.,:;!?'/(){}<>@#$%^&*=+~`|\"\\éß日本€".EnumerateRunes().Select(r => r.Value)
        .Concat([0x1F600, 0xA0, '\n', '\t']).ToArray();

    private readonly GbnfGrammar _grammar;
    private readonly Dictionary<string, int> _cost = new(StringComparer.Ordinal);
    private readonly Random _random;

    public GbnfSampler(string gbnf, int seed)
    {
        _grammar = GbnfGrammar.Parse(gbnf);
        _random = new Random(seed);
        foreach (var name in _grammar.Rules.Keys)
        {
            _cost[name] = int.MaxValue / 4;
        }

        bool changed;
        do
        {
            changed = false;
            foreach (var (name, expr) in _grammar.Rules)
            {
                var c = Cost(expr);
                if (c < _cost[name])
                {
                    _cost[name] = c;
                    changed = true;
                }
            }
        }
        while (changed);
    }

    public string Sample(string root = "root")
    {
        var sb = new StringBuilder();
        Gen(new Ref(root), 0, sb);
        return sb.ToString();
    }

    private int Cost(Expr e) => e switch
    {
        Lit l => l.CodePoints.Length,
        Cls => 1,
        Ref r => _cost[r.Name],
        Alt a => a.Options.Min(Cost),
        Seq s => (int)Math.Min(int.MaxValue / 4, s.Items.Sum(x => (long)Cost(x))),
        Repeat r => (int)Math.Min(int.MaxValue / 4, (long)r.Min * Cost(r.Inner)),
        _ => 0,
    };

    private void Gen(Expr e, int depth, StringBuilder sb)
    {
        switch (e)
        {
            case Lit l:
                foreach (var cp in l.CodePoints)
                {
                    sb.Append(char.ConvertFromUtf32(cp));
                }

                break;
            case Cls c:
                sb.Append(char.ConvertFromUtf32(PickChar(c)));
                break;
            case Ref r:
                Gen(_grammar.Rules[r.Name], depth + 1, sb);
                break;
            case Seq s:
                foreach (var item in s.Items)
                {
                    Gen(item, depth, sb);
                }

                break;
            case Alt a:
                var option = depth > DepthLimit ? a.Options.MinBy(Cost)! : a.Options[_random.Next(a.Options.Count)];
                Gen(option, depth, sb);
                break;
            case Repeat rep:
                var extra = rep.Max is null ? 3 : Math.Min(rep.Max.Value - rep.Min, 4);
                var count = depth > DepthLimit ? rep.Min : rep.Min + _random.Next(extra + 1);
                for (var i = 0; i < count; i++)
                {
                    Gen(rep.Inner, depth + 1, sb);
                }

                break;
        }
    }

    private int PickChar(Cls c)
    {
        if (!c.Negated)
        {
            var (from, to) = c.Ranges[_random.Next(c.Ranges.Length)];
            for (var attempt = 0; attempt < 10; attempt++)
            {
                var cp = from + _random.Next(to - from + 1);
                if (cp is < 0xD800 or > 0xDFFF)
                {
                    return cp;
                }
            }

            return from;
        }

        var candidates = Pool.Where(c.Matches).ToList();
        if (candidates.Count > 0)
        {
            return candidates[_random.Next(candidates.Count)];
        }

        for (var cp = 0x20; cp < 0x10FFFF; cp++)
        {
            if (c.Matches(cp) && cp is < 0xD800 or > 0xDFFF)
            {
                return cp;
            }
        }

        throw new InvalidOperationException("empty class");
    }
}

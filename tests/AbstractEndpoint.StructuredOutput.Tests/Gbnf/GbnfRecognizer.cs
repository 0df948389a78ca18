using static AbstractEndpoint.StructuredOutput.Tests.Gbnf.GbnfGrammar;

namespace AbstractEndpoint.StructuredOutput.Tests.Gbnf;

/// <summary>
/// Decides whether a string is in the language of a GBNF grammar: the grammar is compiled to plain productions
/// (groups and repetitions become helper nonterminals) and run through an Earley recognizer with the
/// Aycock–Horspool treatment of nullable symbols.
/// </summary>
internal sealed class GbnfRecognizer
{
    private readonly List<(int Lhs, Sym[] Rhs)> _prods = [];
    private readonly List<List<int>> _byLhs = [];
    private readonly Dictionary<string, int> _ruleIds = new(StringComparer.Ordinal);
    private readonly GbnfGrammar _grammar;
    private bool[] _nullable = [];
    private readonly int _start;

    public GbnfRecognizer(string gbnf, string root = "root")
    {
        _grammar = GbnfGrammar.Parse(gbnf);
        foreach (var name in _grammar.Rules.Keys)
        {
            _ruleIds[name] = NewNt();
        }

        foreach (var (name, expr) in _grammar.Rules)
        {
            AddProd(_ruleIds[name], Compile(expr));
        }

        _start = _ruleIds[root];
        ComputeNullable();
    }

    public bool Accepts(string text)
    {
        var input = text.EnumerateRunes().Select(r => r.Value).ToArray();
        var n = input.Length;
        var sets = new List<Item>[n + 1];
        var seen = new HashSet<Item>[n + 1];
        for (var i = 0; i <= n; i++)
        {
            sets[i] = [];
            seen[i] = [];
        }

        void Add(int i, Item item)
        {
            if (seen[i].Add(item))
            {
                sets[i].Add(item);
            }
        }

        foreach (var p in _byLhs[_start])
        {
            Add(0, new Item(p, 0, 0));
        }

        for (var i = 0; i <= n; i++)
        {
            var list = sets[i];
            for (var k = 0; k < list.Count; k++)
            {
                var item = list[k];
                var (lhs, rhs) = _prods[item.Prod];
                if (item.Dot < rhs.Length)
                {
                    var sym = rhs[item.Dot];
                    if (sym.Term is null)
                    {
                        foreach (var p in _byLhs[sym.Nt])
                        {
                            Add(i, new Item(p, 0, i));
                        }

                        if (_nullable[sym.Nt])
                        {
                            Add(i, item with { Dot = item.Dot + 1 });
                        }
                    }
                    else if (i < n && sym.Term(input[i]))
                    {
                        Add(i + 1, item with { Dot = item.Dot + 1 });
                    }
                }
                else
                {
                    var origin = sets[item.Origin];
                    for (var j = 0; j < origin.Count; j++)
                    {
                        var waiting = origin[j];
                        var wr = _prods[waiting.Prod].Rhs;
                        if (waiting.Dot < wr.Length && wr[waiting.Dot].Term is null && wr[waiting.Dot].Nt == lhs)
                        {
                            Add(i, waiting with { Dot = waiting.Dot + 1 });
                        }
                    }
                }
            }

            if (i < n && sets[i].Count == 0)
            {
                return false;
            }
        }

        return sets[n].Exists(it => it.Origin == 0 && _prods[it.Prod].Lhs == _start && it.Dot == _prods[it.Prod].Rhs.Length);
    }

    private int NewNt()
    {
        _byLhs.Add([]);
        return _byLhs.Count - 1;
    }

    private void AddProd(int lhs, Sym[] rhs)
    {
        _prods.Add((lhs, rhs));
        _byLhs[lhs].Add(_prods.Count - 1);
    }

    private Sym[] Compile(Expr e)
    {
        switch (e)
        {
            case Lit l:
                return [.. l.CodePoints.Select(cp => new Sym(-1, c => c == cp))];
            case Cls c:
                return [new Sym(-1, c.Matches)];
            case Ref r:
                return [new Sym(_ruleIds[r.Name], null)];
            case Seq s:
                return [.. s.Items.SelectMany(Compile)];
            case Alt a:
                {
                    var nt = NewNt();
                    foreach (var option in a.Options)
                    {
                        AddProd(nt, Compile(option));
                    }

                    return [new Sym(nt, null)];
                }

            case Repeat rep:
                {
                    var inner = NewNt();
                    AddProd(inner, Compile(rep.Inner));
                    var x = new Sym(inner, null);
                    var seq = Enumerable.Repeat(x, rep.Min).ToList();
                    if (rep.Max is null)
                    {
                        var star = NewNt();
                        AddProd(star, []);
                        AddProd(star, [x, new Sym(star, null)]);
                        seq.Add(new Sym(star, null));
                    }
                    else
                    {
                        var tail = -1;
                        for (var k = 0; k < rep.Max.Value - rep.Min; k++)
                        {
                            var opt = NewNt();
                            AddProd(opt, []);
                            AddProd(opt, tail < 0 ? [x] : [x, new Sym(tail, null)]);
                            tail = opt;
                        }

                        if (tail >= 0)
                        {
                            seq.Add(new Sym(tail, null));
                        }
                    }

                    return [.. seq];
                }

            default:
                throw new InvalidOperationException();
        }
    }

    private void ComputeNullable()
    {
        _nullable = new bool[_byLhs.Count];
        bool changed;
        do
        {
            changed = false;
            foreach (var (lhs, rhs) in _prods)
            {
                if (!_nullable[lhs] && Array.TrueForAll(rhs, s => s.Term is null && _nullable[s.Nt]))
                {
                    _nullable[lhs] = true;
                    changed = true;
                }
            }
        }
        while (changed);
    }

    private readonly record struct Sym(int Nt, Func<int, bool>? Term);

    private readonly record struct Item(int Prod, int Dot, int Origin);
}

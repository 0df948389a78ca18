using System.Globalization;
using AbstractEndpoint.StructuredOutput.Gbnf;

namespace AbstractEndpoint.StructuredOutput.Schema;

/// <summary>
/// A quoted JSON key that is none of the given names: additional properties must not repeat a declared property
/// (that would be a duplicate key, or a declared key with the extra schema's value). Built as a trie: at each node
/// the key either continues along a name, deviates with a character no name continues with (then anything
/// follows), or ends where no name ends. Escapes are only allowed after a deviation, so an escaped spelling of a
/// declared name cannot sneak through.
/// </summary>
internal static class KeyExclusion
{
    public static string Build(GbnfBuilder b, IEnumerable<string> names, string ruleName)
    {
        var root = new Node();
        foreach (var name in names)
        {
            var encoded = SchemaKeywords.ToJsonString(name);
            var node = root;
            foreach (var rune in encoded[1..^1].EnumerateRunes())
            {
                if (!node.Children.TryGetValue(rune.Value, out var child))
                {
                    child = new Node();
                    node.Children[rune.Value] = child;
                }

                node = child;
            }

            node.Terminal = true;
        }

        var counter = 0;
        var body = Emit(b, root, ruleName, ref counter);
        return b.Add(ruleName, GbnfExpr.Seq("\"\\\"\"", GbnfExpr.Group(body.Length == 0 ? "\"\"" : body), "\"\\\"\""));
    }

    private static string Emit(GbnfBuilder b, Node node, string ruleName, ref int counter)
    {
        var options = new List<string>();
        foreach (var (cp, child) in node.Children.OrderBy(kv => kv.Key))
        {
            var inner = Emit(b, child, ruleName, ref counter);
            var literal = GbnfText.Literal(char.ConvertFromUtf32(cp));
            if (inner.Length > 0 && !GbnfExpr.IsAtom(inner))
            {
                inner = b.Add(ruleName + "-" + (++counter).ToString(CultureInfo.InvariantCulture), inner);
            }

            options.Add(GbnfExpr.Seq(literal, inner));
        }

        var excluded = new List<(int, int)> { ('"', '"'), ('\\', '\\'), (0, 0x1F), (0x7F, 0x7F) };
        excluded.AddRange(node.Children.Keys.Select(k => (k, k)));
        options.Add(GbnfExpr.Seq(GbnfText.CharClass(PatternTranslator.Normalize(excluded), negated: true), JsonPrimitives.Char(b) + "*"));
        if (!node.Terminal)
        {
            options.Add(string.Empty);
        }

        return GbnfExpr.Alt(options);
    }

    private sealed class Node
    {
        public SortedDictionary<int, Node> Children { get; } = [];

        public bool Terminal { get; set; }
    }
}

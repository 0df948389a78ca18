using AbstractEndpoint.StructuredOutput.Gbnf;
using AbstractEndpoint.StructuredOutput.Parsing;
using AbstractEndpoint.StructuredOutput.Tools;
using static AbstractEndpoint.StructuredOutput.Tools.ToolGrammarContext;

namespace AbstractEndpoint.StructuredOutput.Formats;

/// <summary><c>&lt;tool_call&gt;name\n&lt;arg_key&gt;k&lt;/arg_key&gt;\n&lt;arg_value&gt;v&lt;/arg_value&gt;\n&lt;/tool_call&gt;</c> (GLM-4.5/4.6).</summary>
internal sealed class Glm45Family : ToolCallFamily
{
    public const string KeyOpen = "<arg_key>";
    public const string KeyClose = "</arg_key>";
    public const string ValueOpen = "<arg_value>";
    public const string ValueClose = "</arg_value>";

    public override ToolCallFormat Format => ToolCallFormat.Glm45;

    public override bool Detects(string template) => Has(template, KeyOpen);

    public override FormatGrammar Grammar { get; } = FormatGrammar.Marker(HermesFamily.Open, (c, t, p) => List(
        c.AnyCall(t, x => GbnfExpr.Seq(
            Lit(HermesFamily.Open + x.Name + "\n"),
            c.XmlParameters(x, (k, v) => GbnfExpr.Seq(Lit(KeyOpen + k + KeyClose + "\n" + ValueOpen), v, Lit(ValueClose + "\n")), ValueClose),
            Lit(HermesFamily.Close))), p, Lit("\n")));

    public override IReadOnlyList<string> BlockMarkers { get; } = [HermesFamily.Open];

    public override BlockResult ParseBlock(string s, int start, bool final, ToolCatalog tools)
    {
        var pos = start + HermesFamily.Open.Length;

        // The name runs to the end of the line (or straight into the first key / the closing tag).
        var nameEnd = pos;
        while (nameEnd < s.Length && s[nameEnd] is not ('\n' or '<'))
        {
            if (!IsNameChar(s[nameEnd]) && s[nameEnd] != ' ')
            {
                return BlockResult.NotABlock(start);
            }

            nameEnd++;
        }

        if (nameEnd >= s.Length)
        {
            return BlockResult.Incomplete();
        }

        var name = s[pos..nameEnd].Trim();
        if (name.Length == 0)
        {
            return BlockResult.NotABlock(start);
        }

        var args = new XmlArguments(tools, name);
        pos = nameEnd;
        while (true)
        {
            pos = JsonScanner.SkipWhitespace(s, pos);
            if (LiteralAt(s, pos, KeyOpen) == 1)
            {
                var keyEnd = s.IndexOf(KeyClose, pos, StringComparison.Ordinal);
                if (keyEnd < 0)
                {
                    return BlockResult.Incomplete(args.Partial());
                }

                var key = s[(pos + KeyOpen.Length)..keyEnd].Trim();
                var v = JsonScanner.SkipWhitespace(s, keyEnd + KeyClose.Length);
                switch (LiteralAt(s, v, ValueOpen))
                {
                    case 0: return BlockResult.Incomplete(args.Partial());
                    case -1: return BlockResult.NotABlock(pos, args.Partial());
                }

                var valueEnd = s.IndexOf(ValueClose, v, StringComparison.Ordinal);
                if (valueEnd < 0)
                {
                    return BlockResult.Incomplete(args.Partial());
                }

                args.Add(key, s[(v + ValueOpen.Length)..valueEnd]);
                pos = valueEnd + ValueClose.Length;
                continue;
            }

            return LiteralAt(s, pos, HermesFamily.Close) switch
            {
                1 => BlockResult.Complete(pos + HermesFamily.Close.Length, args.Complete()),
                0 => BlockResult.Incomplete(args.Partial()),
                _ when LiteralAt(s, pos, KeyOpen) == 0 => BlockResult.Incomplete(args.Partial()),
                _ => BlockResult.NotABlock(pos, args.Partial()),
            };
        }
    }
}

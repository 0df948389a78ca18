using AbstractEndpoint.StructuredOutput.Gbnf;
using AbstractEndpoint.StructuredOutput.Parsing;
using AbstractEndpoint.StructuredOutput.Tools;
using static AbstractEndpoint.StructuredOutput.Tools.ToolGrammarContext;

namespace AbstractEndpoint.StructuredOutput.Formats;

/// <summary>
/// <c>&lt;tool_call&gt;\n&lt;function=name&gt;\n&lt;parameter=k&gt;\nvalue\n&lt;/parameter&gt;\n&lt;/function&gt;\n&lt;/tool_call&gt;</c>.
/// Values are raw text; their JSON type comes from the tool's schema.
/// </summary>
internal sealed class Qwen3CoderFamily : ToolCallFamily
{
    public const string FunctionOpen = "<function=";
    public const string ParameterOpen = "<parameter=";
    public const string ParameterClose = "</parameter>";
    public const string FunctionClose = "</function>";

    public override ToolCallFormat Format => ToolCallFormat.Qwen3Coder;

    public override bool Detects(string template) => Has(template, FunctionOpen) && Has(template, ParameterOpen);

    public override FormatGrammar Grammar { get; } = FormatGrammar.Marker(HermesFamily.Open, (c, t, p) => List(
        c.AnyCall(t, x => GbnfExpr.Seq(
            Lit(HermesFamily.Open + "\n" + FunctionOpen + x.Name + ">\n"),
            c.XmlParameters(x, (k, v) => GbnfExpr.Seq(Lit(ParameterOpen + k + ">\n"), v, Lit("\n" + ParameterClose + "\n")), ParameterClose),
            Lit(FunctionClose + "\n" + HermesFamily.Close))), p, Lit("\n")));

    public override IReadOnlyList<string> BlockMarkers { get; } = [HermesFamily.Open, FunctionOpen];

    public override BlockResult ParseBlock(string s, int start, bool final, ToolCatalog tools)
    {
        var pos = start;
        var wrapped = LiteralAt(s, pos, HermesFamily.Open) == 1;
        if (wrapped)
        {
            pos = JsonScanner.SkipWhitespace(s, pos + HermesFamily.Open.Length);
        }

        switch (LiteralAt(s, pos, FunctionOpen))
        {
            case 0: return BlockResult.Incomplete();
            case -1: return BlockResult.NotABlock(start);
        }

        var (name, afterName) = ReadUntil(s, pos + FunctionOpen.Length, ">", IsNameChar);
        if (name is null || name.Length == 0)
        {
            return afterName == 0 && name is null ? BlockResult.Incomplete() : BlockResult.NotABlock(start);
        }

        var args = new XmlArguments(tools, name);
        pos = afterName;
        while (true)
        {
            pos = JsonScanner.SkipWhitespace(s, pos);
            if (LiteralAt(s, pos, ParameterOpen) == 1)
            {
                var (key, afterKey) = ReadUntil(s, pos + ParameterOpen.Length, ">", IsNameChar);
                if (key is null)
                {
                    return afterKey == 0 ? BlockResult.Incomplete(args.Partial()) : BlockResult.NotABlock(pos, args.Partial());
                }

                var close = s.IndexOf(ParameterClose, afterKey, StringComparison.Ordinal);
                if (close < 0)
                {
                    return BlockResult.Incomplete(args.Partial());
                }

                args.Add(key, XmlArguments.TrimValue(s[afterKey..close]));
                pos = close + ParameterClose.Length;
                continue;
            }

            switch (LiteralAt(s, pos, FunctionClose))
            {
                case 1:
                    pos += FunctionClose.Length;
                    break;
                case 0:
                    return BlockResult.Incomplete(args.Partial());
                default:
                    return LiteralAt(s, pos, ParameterOpen) == 0 ? BlockResult.Incomplete(args.Partial()) : BlockResult.NotABlock(pos, args.Partial());
            }

            break;
        }

        if (!wrapped)
        {
            return BlockResult.Complete(pos, args.Complete());
        }

        var after = JsonScanner.SkipWhitespace(s, pos);
        return LiteralAt(s, after, HermesFamily.Close) switch
        {
            1 => BlockResult.Complete(after + HermesFamily.Close.Length, args.Complete()),
            0 when !final => BlockResult.Incomplete(args.Partial()),
            _ => BlockResult.Complete(pos, args.Complete()),
        };
    }
}

using AbstractEndpoint.StructuredOutput.Formats;
using AbstractEndpoint.StructuredOutput.Gbnf;
using static AbstractEndpoint.StructuredOutput.Tools.ToolGrammarContext;

namespace AbstractEndpoint.StructuredOutput.Tools;

/// <summary>The call grammar of every format.</summary>
internal static class FormatGrammars
{
    public static FormatGrammar For(ToolCallFormat format) => format switch
    {
        ToolCallFormat.Hermes => Marker(HermesSyntax.Open, (c, t, p) => List(
            c.AnyCall(t, x => GbnfExpr.Seq(Lit(HermesSyntax.Open), c.Ws, c.JsonCall(x, "name", "arguments"), c.Ws, Lit(HermesSyntax.Close))), p, c.Ws)),

        ToolCallFormat.Qwen3Coder => Marker(HermesSyntax.Open, (c, t, p) => List(
            c.AnyCall(t, x => GbnfExpr.Seq(
                Lit(HermesSyntax.Open + "\n" + Qwen3CoderSyntax.FunctionOpen + x.Name + ">\n"),
                c.XmlParameters(x, (k, v) => GbnfExpr.Seq(Lit(Qwen3CoderSyntax.ParameterOpen + k + ">\n"), v, Lit("\n" + Qwen3CoderSyntax.ParameterClose + "\n")), Qwen3CoderSyntax.ParameterClose),
                Lit(Qwen3CoderSyntax.FunctionClose + "\n" + HermesSyntax.Close))), p, Lit("\n"))),

        ToolCallFormat.Glm45 => Marker(HermesSyntax.Open, (c, t, p) => List(
            c.AnyCall(t, x => GbnfExpr.Seq(
                Lit(HermesSyntax.Open + x.Name + "\n"),
                c.XmlParameters(x, (k, v) => GbnfExpr.Seq(Lit(Glm45Syntax.KeyOpen + k + Glm45Syntax.KeyClose + "\n" + Glm45Syntax.ValueOpen), v, Lit(Glm45Syntax.ValueClose + "\n")), Glm45Syntax.ValueClose),
                Lit(HermesSyntax.Close))), p, Lit("\n"))),

        ToolCallFormat.Llama3Json => new FormatGrammar(
            (c, t, p) => List(c.AnyCall(t, x => c.JsonCall(x, "name", "parameters")), p, c.Ws),
            t => ["\\{\\s*\"name\"\\s*:\\s*\"" + NameAlternatives(t) + "\""],
            ["{\"name\""]),

        ToolCallFormat.FunctionaryV31 => new FormatGrammar(
            (c, t, p) => List(c.AnyCall(t, x => GbnfExpr.Seq(Lit(FunctionaryV31Syntax.Open + x.Name + ">"), c.Arguments(x), Lit(FunctionaryV31Syntax.Close))), p, string.Empty),
            t => [ToolCallGrammar.RegexEscape(FunctionaryV31Syntax.Open) + NameAlternatives(t) + ">"],
            [FunctionaryV31Syntax.Open]),

        // The prompt ends with ">>>", so the first call has no marker of its own.
        ToolCallFormat.FunctionaryV32 => new FormatGrammar(
            (c, t, p) =>
            {
                var call = c.AnyCall(t, x => GbnfExpr.Seq(Lit(x.Name + "\n"), c.Arguments(x)));
                var marker = Lit(FunctionaryV32Syntax.Marker);
                return GbnfExpr.Seq(GbnfExpr.Opt(marker), call, p ? GbnfExpr.Star(GbnfExpr.Seq(marker, call)) : string.Empty);
            },
            t => ["^(" + NameAlternatives(t) + "\\n)[\\s\\S]*$", ">>>" + NameAlternatives(t) + "\\n"],
            [FunctionaryV32Syntax.Marker]),

        ToolCallFormat.MistralNemo => Marker(MistralSyntax.Marker, (c, t, p) => GbnfExpr.Seq(
            Lit(MistralSyntax.Marker + "["), c.Ws,
            List(c.AnyCall(t, x => c.JsonCall(x, "name", "arguments")), p, GbnfExpr.Seq(c.Ws, Lit(","), c.Ws)),
            c.Ws, Lit("]"))),

        ToolCallFormat.Mistral => Marker(MistralSyntax.Marker, (c, t, p) => List(
            c.AnyCall(t, x => GbnfExpr.Seq(Lit(MistralSyntax.Marker + x.Name + MistralSyntax.ArgsMarker), c.Arguments(x))), p, string.Empty)),

        ToolCallFormat.DeepSeekR1 => Marker(DeepSeekSyntax.CallsBegin, (c, t, p) => GbnfExpr.Seq(
            Lit(DeepSeekSyntax.CallsBegin),
            List(c.AnyCall(t, x => GbnfExpr.Seq(
                Lit(DeepSeekSyntax.CallBegin + "function" + DeepSeekSyntax.Separator + x.Name + "\n```json\n"),
                c.Arguments(x),
                Lit("\n```" + DeepSeekSyntax.CallEnd))), p, GbnfExpr.Opt(Lit("\n"))),
            Lit(DeepSeekSyntax.CallsEnd))),

        ToolCallFormat.DeepSeekV31 => Marker(DeepSeekSyntax.CallsBegin, (c, t, p) => GbnfExpr.Seq(
            Lit(DeepSeekSyntax.CallsBegin),
            List(c.AnyCall(t, x => GbnfExpr.Seq(Lit(DeepSeekSyntax.CallBegin + x.Name + DeepSeekSyntax.Separator), c.Arguments(x), Lit(DeepSeekSyntax.CallEnd))), p, string.Empty),
            Lit(DeepSeekSyntax.CallsEnd))),

        ToolCallFormat.CommandR => Array(ArrayCallSyntax.CommandR, "```json\n[", "]\n```", null),

        ToolCallFormat.CommandR7B => Array(ArrayCallSyntax.CommandR7B, "[", "]", c => GbnfExpr.Seq(
            Lit("\"tool_call_id\""), c.Ws, Lit(":"), c.Ws, Lit("\""), "[0-9]{1,3}", Lit("\""), c.Ws, Lit(","), c.Ws)),

        ToolCallFormat.Granite => Array(ArrayCallSyntax.Granite, "[", "]", null),

        ToolCallFormat.FireFunctionV2 => Array(ArrayCallSyntax.FireFunctionV2, "[", "]", null),

        ToolCallFormat.KimiK2 => Marker(KimiK2Syntax.SectionBegin, (c, t, p) => GbnfExpr.Seq(
            Lit(KimiK2Syntax.SectionBegin),
            List(c.AnyCall(t, x => GbnfExpr.Seq(
                Lit(KimiK2Syntax.CallBegin + "functions." + x.Name + ":"), "[0-9]{1,3}",
                Lit(KimiK2Syntax.ArgumentBegin), c.Arguments(x), Lit(KimiK2Syntax.CallEnd))), p, string.Empty),
            Lit(KimiK2Syntax.SectionEnd))),

        // <|call|> ends generation (an end-of-generation token), so the grammar stops after the arguments and one
        // call is all a single generation can hold.
        ToolCallFormat.GptOss => new FormatGrammar(
            (c, t, _) => c.AnyCall(t, x => GbnfExpr.Seq(
                GbnfExpr.Alt(
                    Lit(GptOssSyntax.Channel + "commentary to=functions." + x.Name),
                    Lit(" to=functions." + x.Name + GptOssSyntax.Channel + "commentary")),
                GbnfExpr.Opt(GbnfExpr.Alt(Lit(" " + GptOssSyntax.Constrain + "json"), Lit(" json"))),
                Lit(GptOssSyntax.Message), c.Arguments(x))),
            t => [ToolCallGrammar.RegexEscape(GptOssSyntax.Channel + "commentary to=functions.") + NameAlternatives(t) + "[ <]", " to=functions\\." + NameAlternatives(t) + "<"],
            [GptOssSyntax.Channel + "commentary to=functions.", " to=functions."],
            (c, _, _) => GbnfExpr.Opt(GbnfExpr.Seq(
                Lit(GptOssSyntax.Channel + "analysis" + GptOssSyntax.Message), c.Until(GptOssSyntax.End, "analysis"),
                Lit(GptOssSyntax.End + GptOssSyntax.Start + "assistant")))),

        ToolCallFormat.Generic => new FormatGrammar(
            (c, t, p) => GbnfExpr.Seq(
                Lit("{"), c.Ws, Lit("\"tool_calls\""), c.Ws, Lit(":"), c.Ws, Lit("["), c.Ws,
                List(c.AnyCall(t, x => c.JsonCall(x, "name", "arguments")), p, GbnfExpr.Seq(c.Ws, Lit(","), c.Ws)),
                c.Ws, Lit("]"), c.Ws, Lit("}")),
            _ => ["\\{\\s*\"tool_calls\"\\s*:\\s*\\["],
            ["{\"tool_calls\""]),

        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown tool-call format"),
    };

    // A format whose calls start with a literal marker (a special token in these families).
    private static FormatGrammar Marker(string marker, Func<ToolGrammarContext, IReadOnlyList<ToolDefinition>, bool, string> calls) =>
        new(calls, _ => [ToolCallGrammar.RegexEscape(marker)], [marker]);

    // Opening marker, a JSON array of call objects, closing text.
    private static FormatGrammar Array(ArrayCallSyntax syntax, string open, string close, Func<ToolGrammarContext, string>? leading) => new(
        (c, t, p) => GbnfExpr.Seq(
            Lit(syntax.Open), syntax.Fenced ? c.Ws : string.Empty, Lit(open), c.Ws,
            List(c.AnyCall(t, x => c.JsonCall(x, syntax.NameKey, syntax.ArgumentsKey, leading?.Invoke(c))), p, GbnfExpr.Seq(c.Ws, Lit(","), c.Ws)),
            c.Ws, Lit(close + (syntax.Close ?? string.Empty))),
        _ => [ToolCallGrammar.RegexEscape(syntax.Open)],
        [syntax.Open]);

    private static string NameAlternatives(IReadOnlyList<ToolDefinition> tools) =>
        "(?:" + string.Join("|", tools.Select(t => ToolCallGrammar.RegexEscape(t.Name))) + ")";
}

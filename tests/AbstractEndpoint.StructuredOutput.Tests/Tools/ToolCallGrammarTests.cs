using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.StructuredOutput.Tests.Gbnf;
using AbstractEndpoint.StructuredOutput.Tests.Schemas;

namespace AbstractEndpoint.StructuredOutput.Tests.Tools;

public sealed class ToolCallGrammarTests
{
    private static readonly ToolDefinition[] Tools =
    [
        TestTools.Define("get_weather", JsonNode.Parse("""
            {"type":"object","properties":{"city":{"type":"string","maxLength":20},"unit":{"enum":["c","f"]},"days":{"type":"integer","minimum":1,"maximum":7}},
             "required":["city"],"additionalProperties":false}
            """)),
        TestTools.Define("run_cmd", JsonNode.Parse("""
            {"type":"object","properties":{"cmd":{"type":"string"},"args":{"type":"array","items":{"type":"string"},"maxItems":3},"dry":{"type":"boolean"}},"required":["cmd","dry"]}
            """)),
        TestTools.Define("ping"),
    ];

    public static TheoryData<ToolCallFormat> Formats()
    {
        var data = new TheoryData<ToolCallFormat>();
        foreach (var f in Enum.GetValues<ToolCallFormat>())
        {
            data.Add(f);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Required_grammar_outputs_parse_back_to_valid_calls(ToolCallFormat format)
    {
        var spec = ToolCallGrammar.Build(format, Tools, ToolChoice.Required, parallelToolCalls: true)!;
        Assert.False(spec.Lazy);
        Assert.Equal("root", spec.Root);
        var sampler = new GbnfSampler(spec.Gbnf, seed: (int)format * 31 + 7);
        var recognizer = new GbnfRecognizer(spec.Gbnf);
        var multi = false;
        for (var i = 0; i < 40; i++)
        {
            var output = sampler.Sample();
            Assert.True(recognizer.Accepts(output));
            var done = Parse(format, output);
            Assert.True(done.Content.Length == 0, format + ": content «" + done.Content + "» from " + output);
            Assert.NotEmpty(done.ToolCalls);
            multi |= done.ToolCalls.Count > 1;
            foreach (var call in done.ToolCalls)
            {
                var tool = Tools.Single(t => t.Name == call.Name);
                Assert.True(
                    SchemaValidator.IsValid(tool.Parameters ?? new JsonObject { ["type"] = "object" }, call.Arguments, out var why),
                    format + ": " + call.Name + " " + call.Arguments + " -> " + why + "\nfrom " + output);
            }
        }

        if (format != ToolCallFormat.GptOss)
        {
            Assert.True(multi, format + ": parallel grammar never produced two calls");
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Named_function_without_parallel_forces_exactly_that_one_call(ToolCallFormat format)
    {
        var spec = ToolCallGrammar.Build(format, Tools, ToolChoice.Function("run_cmd"), parallelToolCalls: false)!;
        var sampler = new GbnfSampler(spec.Gbnf, seed: (int)format);
        for (var i = 0; i < 15; i++)
        {
            var output = sampler.Sample();
            var done = Parse(format, output);
            var call = Assert.Single(done.ToolCalls);
            Assert.Equal("run_cmd", call.Name);
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Auto_grammar_is_lazy_and_its_triggers_start_where_the_grammar_does(ToolCallFormat format)
    {
        var spec = ToolCallGrammar.Build(format, Tools, ToolChoice.Auto, parallelToolCalls: true)!;
        Assert.True(spec.Lazy);
        Assert.NotEmpty(spec.TriggerPatterns);
        Assert.NotEmpty(spec.TriggerWords);
        var recognizer = new GbnfRecognizer(spec.Gbnf);
        var sampler = new GbnfSampler(spec.Gbnf, seed: 99);
        var regexes = spec.TriggerPatterns.Select(p => new Regex(p)).ToList();
        for (var i = 0; i < 10; i++)
        {
            var calls = sampler.Sample();
            Assert.True(recognizer.Accepts(calls));

            // Free text, then the calls: some trigger fires, and the grammar accepts the text from its group on.
            var prefix = format is ToolCallFormat.FunctionaryV32 or ToolCallFormat.GptOss ? string.Empty : "Let me check that for you.\n";
            var text = prefix + calls;
            var match = regexes.Select(r => r.Match(text)).FirstOrDefault(m => m.Success);
            Assert.True(match is not null, format + ": no trigger matched " + text);
            var start = match.Groups[1].Success ? match.Groups[1].Index : match.Index;
            Assert.True(recognizer.Accepts(text[start..]), format + ": grammar rejects text from the trigger: " + text[start..]);
            Assert.True(start <= prefix.Length + 1, format + ": trigger fired late at " + start);
        }
    }

    [Theory]
    [InlineData(ToolCallFormat.Hermes, false, "<think>Maybe <tool_call> is needed.</think>\nNo tool needed.", false)]
    [InlineData(ToolCallFormat.Hermes, false, "<think>Plan.</think>\n<tool_call>\n{\"name\"", true)]
    [InlineData(ToolCallFormat.Hermes, false, "Text then <tool_call>", true)]
    [InlineData(ToolCallFormat.Hermes, true, "I could write <tool_call> here", false)]
    [InlineData(ToolCallFormat.Hermes, true, "thinking</think>\n<tool_call>", true)]
    [InlineData(ToolCallFormat.FunctionaryV32, false, "all\nHello>>>all\nMore", false)]
    [InlineData(ToolCallFormat.FunctionaryV32, false, "get_weather\n{", true)]
    [InlineData(ToolCallFormat.Llama3Json, false, "Use {\"name\": \"unknown\"}", false)]
    public void Triggers_ignore_markers_inside_reasoning_and_non_calls(ToolCallFormat format, bool startsInReasoning, string text, bool fires)
    {
        var spec = ToolCallGrammar.Build(format, Tools, ToolChoice.Auto, parallelToolCalls: false, startsInReasoning)!;
        Assert.Equal(fires, spec.TriggerPatterns.Any(p => Regex.IsMatch(text, p)));
    }

    [Fact]
    public void Non_parallel_grammar_rejects_a_second_call()
    {
        var spec = ToolCallGrammar.Build(ToolCallFormat.Hermes, Tools, ToolChoice.Required, parallelToolCalls: false)!;
        var recognizer = new GbnfRecognizer(spec.Gbnf);
        const string one = "<tool_call>\n{\"name\": \"ping\", \"arguments\": {}}\n</tool_call>";
        Assert.True(recognizer.Accepts(one));
        Assert.True(recognizer.Accepts("<think>\nhmm\n</think>\n" + one));
        Assert.False(recognizer.Accepts(one + "\n" + one));
        Assert.False(recognizer.Accepts("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"days\": 3}}\n</tool_call>"));
        Assert.False(recognizer.Accepts("Sure! " + one));
    }

    [Fact]
    public void Starting_inside_reasoning_requires_closing_it_first()
    {
        var spec = ToolCallGrammar.Build(ToolCallFormat.DeepSeekR1, Tools, ToolChoice.Required, parallelToolCalls: false, startsInReasoning: true)!;
        var recognizer = new GbnfRecognizer(spec.Gbnf);
        const string call = "<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>ping\n```json\n{}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>";
        Assert.True(recognizer.Accepts("Let me ping.\n</think>\n\n" + call));
        Assert.False(recognizer.Accepts(call));
    }

    [Fact]
    public void None_or_no_tools_means_no_grammar()
    {
        Assert.Null(ToolCallGrammar.Build(ToolCallFormat.Hermes, Tools, ToolChoice.None, true));
        Assert.Null(ToolCallGrammar.Build(ToolCallFormat.Hermes, [], ToolChoice.Required, true));
    }

    [Fact]
    public void Unknown_function_and_bad_schemas_are_clear_errors()
    {
        var ex = Assert.Throws<ArgumentException>(() => ToolCallGrammar.Build(ToolCallFormat.Hermes, Tools, ToolChoice.Function("nope"), false));
        Assert.Contains("nope", ex.Message, StringComparison.Ordinal);

        ToolDefinition[] bad = [TestTools.Define("broken", JsonNode.Parse("""{"type":"object","properties":{"x":{"not":{}}}}"""))];
        var sx = Assert.Throws<SchemaConversionException>(() => ToolCallGrammar.Build(ToolCallFormat.Hermes, bad, ToolChoice.Required, false));
        Assert.Contains("broken", sx.Message, StringComparison.Ordinal);
        Assert.Contains("'not'", sx.Message, StringComparison.Ordinal);
        Assert.Throws<SchemaConversionException>(() => ToolCallGrammar.Build(ToolCallFormat.Qwen3Coder, bad, ToolChoice.Required, false));
    }

    [Fact]
    public void Hermes_required_grammar_is_stable()
    {
        ToolDefinition[] tools = [TestTools.Define("get_time", JsonNode.Parse("""{"type":"object","properties":{"tz":{"type":"string"}},"required":["tz"]}"""))];
        var spec = ToolCallGrammar.Build(ToolCallFormat.Hermes, tools, ToolChoice.Required, parallelToolCalls: false)!;
        const string expected = """
            root ::= ("<think>" reasoning-0 "</think>" [ \t\n]{0,4})? call
            ws ::= ( " " | "\n" [ \t]{0,20} )?
            tool-get-time-args ::= "{" ws "\"tz\"" ":" ws string ws "}"
            string ::= "\"" char* "\""
            char ::= [^\x22\x5C\x00-\x1F\x7F] | "\\" ( ["\\/bfnrt] | "u" ( [0-9a-cA-CeEfF] [0-9a-fA-F]{3} | [dD] [0-7] [0-9a-fA-F]{2} ) )
            tool-get-time-call ::= "<tool_call>" ws "{" ws "\"name\"" ws ":" ws "\"get_time\"" ws "," ws "\"arguments\"" ws ":" ws tool-get-time-args ws "}" ws "</tool_call>"
            call ::= tool-get-time-call
            reasoning-0 ::= ("<" reasoning-1 | [^<] reasoning-0)?
            reasoning-1 ::= ("/" reasoning-2 | "<" reasoning-1 | [^/<] reasoning-0)?
            reasoning-2 ::= ("<" reasoning-1 | "t" reasoning-3 | [^<t] reasoning-0)?
            reasoning-3 ::= ("<" reasoning-1 | "h" reasoning-4 | [^<h] reasoning-0)?
            reasoning-4 ::= ("<" reasoning-1 | "i" reasoning-5 | [^<i] reasoning-0)?
            reasoning-5 ::= ("<" reasoning-1 | "n" reasoning-6 | [^<n] reasoning-0)?
            reasoning-6 ::= ("<" reasoning-1 | "k" reasoning-7 | [^<k] reasoning-0)?
            reasoning-7 ::= ("<" reasoning-1 | [^<>] reasoning-0)?
            """;
        Assert.Equal(expected.ReplaceLineEndings("\n") + "\n", spec.Gbnf);
    }

    private static ParsedOutput Parse(ToolCallFormat format, string output)
    {
        var parser = new StreamingOutputParser(format, tools: Tools);
        parser.Feed(output);
        parser.Complete();
        return Assert.IsType<ParsedOutput>(parser.Result);
    }
}

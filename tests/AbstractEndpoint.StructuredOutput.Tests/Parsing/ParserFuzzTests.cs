using System.Text;
using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.StructuredOutput.Tests.Parsing;

public sealed class ParserFuzzTests
{
    // Markup of every family plus JSON and prose fragments, so formats meet each other's (and their own) markers.
    private static readonly string[] Fragments =
    [
        "<tool_call>", "</tool_call>", "<think>", "</think>", "{\"name\": \"f\", \"arguments\": {\"a\": 1}}", "{\"name\": \"g\", \"parameters\": {}}",
        "{", "}", "[", "]", "\"", ",", ":", "\n", " ", "hello", "😀", "é", "<", "<tool_", "{\"tool_calls\": [", "{\"name\"",
        "<function=f>", "</function>", "<parameter=a>", "</parameter>", "<arg_key>a</arg_key>", "<arg_value>1</arg_value>",
        "[TOOL_CALLS]", "[ARGS]", "[CALL_ID]", "[THINK]", "[/THINK]", ">>>", "all\n", "f\n", "<|python_tag|>", "x.call(q=\"v\")",
        "<｜tool▁calls▁begin｜>", "<｜tool▁call▁begin｜>", "<｜tool▁sep｜>", "<｜tool▁call▁end｜>", "<｜tool▁calls▁end｜>", "```json\n", "```",
        "Action:", "<|START_ACTION|>", "<|END_ACTION|>", "<|START_THINKING|>", "<|END_THINKING|>", "<|START_RESPONSE|>", "<|tool_call|>", "functools",
        "<response>", "<|tool_calls_section_begin|>", "<|tool_call_begin|>", "functions.f:0", "<|tool_call_argument_begin|>", "<|tool_call_end|>",
        "<|tool_calls_section_end|>", "<|channel|>", "analysis", "commentary to=functions.f", " json", "<|message|>", "<|end|>", "<|start|>", "assistant", "<|call|>",
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
    public void Random_markup_folds_the_same_however_it_is_split(ToolCallFormat format)
    {
        var random = new Random((int)format + 17);
        for (var round = 0; round < 80; round++)
        {
            var sb = new StringBuilder();
            for (var i = 0; i < 4 + random.Next(14); i++)
            {
                sb.Append(Fragments[random.Next(Fragments.Length)]);
            }

            var text = sb.ToString();
            var reasoning = round % 3 == 0 ? ReasoningFormat.None : ReasoningFormat.Extract;
            var starts = round % 5 == 0;
            var whole = Fold(format, reasoning, starts, [text]);
            for (var split = 0; split < 4; split++)
            {
                var pieces = new List<string>();
                for (var i = 0; i < text.Length;)
                {
                    var n = Math.Min(text.Length - i, 1 + random.Next(split == 0 ? 1 : 7));
                    pieces.Add(text.Substring(i, n));
                    i += n;
                }

                var folded = Fold(format, reasoning, starts, pieces);
                Assert.True(whole == folded, format + " differs for «" + text + "»:\n" + whole + "\nvs\n" + folded);
            }
        }
    }

    private static string Fold(ToolCallFormat format, ReasoningFormat reasoning, bool startsInReasoning, IEnumerable<string> pieces)
    {
        var ids = 0;
        var parser = new StreamingOutputParser(format, reasoning, startsInReasoning, idGenerator: () => "call_" + ids++);
        var events = new List<ChoiceUpdate>();
        foreach (var p in pieces)
        {
            events.AddRange(parser.Feed(p));
        }

        events.AddRange(parser.Complete());
        var done = parser.Result!;
        Assert.Equal(done.Content, string.Concat(events.OfType<ContentDelta>().Select(e => e.Text)));
        Assert.Equal(done.Reasoning, string.Concat(events.OfType<ReasoningDelta>().Select(e => e.Text)));
        foreach (var call in done.ToolCalls)
        {
            Assert.Equal(call.Arguments, string.Concat(events.OfType<ToolCallDelta>().Where(d => d.Index == call.Index).Select(d => d.ArgumentsFragment)));
        }

        var failed = events.OfType<ToolCallFailed>().Select(f => f.Index);
        return "content=" + done.Content + "\nreasoning=" + done.Reasoning + "\ncalls=" + string.Join(";", done.ToolCalls.Select(c => c.Name + c.Arguments))
            + "\nfailed=" + string.Join(",", failed);
    }
}

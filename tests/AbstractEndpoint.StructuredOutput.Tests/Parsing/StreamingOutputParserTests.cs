using System.Text;
using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.StructuredOutput.Tests.Parsing;

public sealed class StreamingOutputParserTests
{
    public static TheoryData<string> SampleNames()
    {
        var data = new TheoryData<string>();
        foreach (var s in OutputSamples.All)
        {
            data.Add(s.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Whole_output_parses_to_the_expected_result(string name)
    {
        var sample = OutputSamples.All.Single(s => s.Name == name);
        AssertFolds(sample, [sample.Output]);
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Every_split_point_and_one_char_pieces_fold_to_the_same_result(string name)
    {
        var sample = OutputSamples.All.Single(s => s.Name == name);
        var text = sample.Output;
        for (var k = 1; k < text.Length; k++)
        {
            AssertFolds(sample, [text[..k], text[k..]]);
        }

        AssertFolds(sample, text.Select(c => c.ToString()).ToArray());

        var random = new Random(text.Length);
        for (var round = 0; round < 20; round++)
        {
            var pieces = new List<string>();
            for (var i = 0; i < text.Length;)
            {
                var n = Math.Min(text.Length - i, 1 + random.Next(6));
                pieces.Add(text.Substring(i, n));
                i += n;
            }

            AssertFolds(sample, [.. pieces]);
        }
    }

    [Fact]
    public void Partial_marker_is_held_back_until_disambiguated()
    {
        var parser = new StreamingOutputParser(ToolCallFormat.Hermes);
        Assert.Equal([new ContentDelta("Hello")], parser.Feed("Hello <tool_"));
        Assert.Empty(parser.Feed("ca"));
        Assert.Equal([new ContentDelta(" <tool_cat")], parser.Feed("t"));
    }

    [Fact]
    public void Call_streams_start_then_argument_fragments()
    {
        var ids = 0;
        var parser = new StreamingOutputParser(ToolCallFormat.Hermes, idGenerator: () => "call_" + ids++);
        var events = new List<ChoiceUpdate>();
        foreach (var piece in new[] { "<tool_call>\n{\"name\": \"f\", ", "\"arguments\": {\"a\"", ": 1}}\n</tool_call>" })
        {
            events.AddRange(parser.Feed(piece));
        }

        Assert.Equal(new ToolCallDelta(0, "call_0", "f", ""), events[0]);
        Assert.Equal(new ToolCallDelta(0, null, null, "{\"a\""), events[1]);
        Assert.Equal(new ToolCallDelta(0, null, null, ": 1}"), events[2]);
        Assert.Empty(parser.Complete());
        var done = Assert.IsType<ParsedOutput>(parser.Result);
        Assert.Equal([new ParsedToolCall(0, "call_0", "f", "{\"a\": 1}")], done.ToolCalls);
    }

    [Fact]
    public void Default_ids_are_call_prefixed_and_unique()
    {
        var parser = new StreamingOutputParser(ToolCallFormat.Hermes);
        parser.Feed("<tool_call>{\"name\": \"a\", \"arguments\": {}}</tool_call><tool_call>{\"name\": \"b\", \"arguments\": {}}</tool_call>");
        parser.Complete();
        var calls = Assert.IsType<ParsedOutput>(parser.Result).ToolCalls;
        Assert.All(calls, c => Assert.Matches("^call_[A-Za-z0-9]{24}$", c.Id));
        Assert.NotEqual(calls[0].Id, calls[1].Id);
    }

    [Theory]
    [InlineData(ToolCallFormat.Hermes, "<|im_start|>assistant\n<think>\n", true)]
    [InlineData(ToolCallFormat.Hermes, "<|im_start|>assistant\n", false)]
    [InlineData(ToolCallFormat.Mistral, "[INST]hi[/INST][THINK]", true)]
    [InlineData(ToolCallFormat.FunctionaryV32, "...>>>", false)]
    public void Prompt_ending_inside_reasoning_is_detected(ToolCallFormat format, string prompt, bool expected) =>
        Assert.Equal(expected, StreamingOutputParser.PromptEndsInsideReasoning(format, prompt));

    private static void AssertFolds(OutputSample sample, string[] pieces)
    {
        var ids = 0;
        var parser = new StreamingOutputParser(sample.Format, sample.ReasoningFormat, sample.StartsInReasoning, OutputSamples.Tools, () => "call_" + ids++);
        var events = new List<ChoiceUpdate>();
        foreach (var piece in pieces)
        {
            events.AddRange(parser.Feed(piece));
        }

        Assert.Null(parser.Result);
        events.AddRange(parser.Complete());
        var where = sample.Name + " split as [" + string.Join("|", pieces.Take(3)) + (pieces.Length > 3 ? "|…" : string.Empty) + "]";

        var done = Assert.IsType<ParsedOutput>(parser.Result);

        var content = string.Concat(events.OfType<ContentDelta>().Select(e => e.Text));
        var reasoning = string.Concat(events.OfType<ReasoningDelta>().Select(e => e.Text));
        Assert.True(sample.Content == content, where + ": content was «" + content + "»");
        Assert.Equal(content, done.Content);
        Assert.True(sample.Reasoning == reasoning, where + ": reasoning was «" + reasoning + "»");
        Assert.Equal(reasoning, done.Reasoning);
        Assert.DoesNotContain(events.OfType<ContentDelta>(), e => e.Text.Length == 0 || char.IsHighSurrogate(e.Text[^1]));

        var started = events.OfType<ToolCallDelta>().Where(d => d.Id is not null).ToList();
        var failed = events.OfType<ToolCallFailed>().ToList();
        Assert.True(sample.FailedCalls == failed.Count, where + ": failed calls " + failed.Count);
        Assert.Equal(Enumerable.Range(0, started.Count), started.Select(s => s.Index));

        var expected = sample.Calls ?? [];
        Assert.True(expected.Length == done.ToolCalls.Count, where + ": calls " + string.Join(", ", done.ToolCalls));
        for (var i = 0; i < expected.Length; i++)
        {
            var call = done.ToolCalls[i];
            Assert.Equal(expected[i].Name, call.Name);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected[i].Arguments), JsonNode.Parse(call.Arguments)), where + ": arguments " + call.Arguments);
            var start = started.Single(s => s.Index == call.Index);
            Assert.Equal(call.Name, start.Name);
            Assert.Equal(call.Id, start.Id);
            var folded = new StringBuilder();
            foreach (var delta in events.OfType<ToolCallDelta>().Where(d => d.Index == call.Index && d.Id is null))
            {
                Assert.False(char.IsHighSurrogate(delta.ArgumentsFragment[^1]), where + ": fragment splits a surrogate pair");
                folded.Append(delta.ArgumentsFragment);
            }

            Assert.Equal(call.Arguments, folded.ToString());
        }

        // Starts come before their fragments.
        var seen = new HashSet<int>();
        foreach (var e in events)
        {
            if (e is ToolCallDelta { Id: not null } s)
            {
                Assert.Equal(string.Empty, s.ArgumentsFragment);
                seen.Add(s.Index);
            }
            else if (e is ToolCallDelta d)
            {
                Assert.Contains(d.Index, seen);
            }
        }
    }
}

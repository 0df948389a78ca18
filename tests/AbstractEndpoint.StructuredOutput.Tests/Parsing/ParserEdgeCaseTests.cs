using AbstractEndpoint.StructuredOutput.Tests.Gbnf;

namespace AbstractEndpoint.StructuredOutput.Tests.Parsing;

public sealed class ParserEdgeCaseTests
{
    [Fact]
    public void Markers_inside_argument_strings_do_not_end_the_call()
    {
        var done = Run(ToolCallFormat.Hermes, "<tool_call>{\"name\": \"echo\", \"arguments\": {\"text\": \"</tool_call><tool_call>\"}}</tool_call>");
        var call = Assert.Single(done.ToolCalls);
        Assert.Equal("{\"text\": \"</tool_call><tool_call>\"}", call.Arguments);
        Assert.Equal(string.Empty, done.Content);
    }

    [Fact]
    public void Xml_values_are_typed_by_guess_without_a_schema()
    {
        var done = Run(ToolCallFormat.Qwen3Coder, "<function=f>\n<parameter=n>\n42\n</parameter>\n<parameter=s>\nhello\n</parameter>\n<parameter=o>\n{\"a\": [1]}\n</parameter>\n</function>");
        Assert.Equal("{\"n\": 42, \"s\": \"hello\", \"o\": {\"a\":[1]}}", Assert.Single(done.ToolCalls).Arguments);
    }

    [Fact]
    public void Reasoning_markers_are_only_recognised_at_the_start()
    {
        var done = Run(ToolCallFormat.Hermes, "Answer: use <think> tags.");
        Assert.Equal("Answer: use <think> tags.", done.Content);
        Assert.Equal(string.Empty, done.Reasoning);
    }

    [Fact]
    public void Unclosed_reasoning_stays_reasoning()
    {
        var done = Run(ToolCallFormat.Hermes, "<think>still thinking when the budget ran out");
        Assert.Equal("still thinking when the budget ran out", done.Reasoning);
        Assert.Equal(string.Empty, done.Content);
    }

    [Fact]
    public void Parser_cannot_be_used_after_completion()
    {
        var parser = new StreamingOutputParser(ToolCallFormat.Generic);
        parser.Complete();
        Assert.Throws<ObjectDisposedException>(() => parser.Feed("x"));
        Assert.Throws<ObjectDisposedException>(() => parser.Complete());
    }

    [Theory]
    [InlineData("</think>", "abc</thin>de<<//think", "abc</think>")]
    [InlineData("</parameter>", "x\n</paramete\n<<</p", "</parameter>x")]
    [InlineData("aab", "abaa", "xaab")]
    public void Until_grammar_excludes_exactly_the_delimiter(string delimiter, string allowed, string forbidden)
    {
        var b = new StructuredOutput.Gbnf.GbnfBuilder();
        var root = b.Reserve("root");
        b.Define(root, StructuredOutput.Gbnf.GbnfUntil.Build(b, delimiter, "until"));
        var recognizer = new GbnfRecognizer(b.Build());
        Assert.True(recognizer.Accepts(allowed));
        Assert.True(recognizer.Accepts(string.Empty));
        Assert.False(recognizer.Accepts(forbidden));
        Assert.False(recognizer.Accepts(delimiter));
    }

    private static ParsedOutput Run(ToolCallFormat format, string text)
    {
        var parser = new StreamingOutputParser(format);
        foreach (var c in text)
        {
            parser.Feed(c.ToString());
        }

        parser.Complete();
        return Assert.IsType<ParsedOutput>(parser.Result);
    }
}

using AbstractEndpoint.StructuredOutput.Formats;

namespace AbstractEndpoint.StructuredOutput.Tests.Tools;

/// <summary>The one registry of families: complete, unambiguous, and ending with the catch-all.</summary>
public sealed class ToolCallFamiliesTests
{
    [Fact]
    public void Every_format_has_exactly_one_family()
    {
        Assert.Equal(
            Enum.GetValues<ToolCallFormat>().Order(),
            ToolCallFamilies.All.Select(f => f.Format).Order());
        Assert.All(Enum.GetValues<ToolCallFormat>(), format => Assert.Equal(format, ToolCallFamilies.For(format).Format));
    }

    [Fact]
    public void Only_the_generic_family_is_last_and_matches_any_template()
    {
        Assert.Equal(ToolCallFormat.Generic, ToolCallFamilies.All[^1].Format);
        Assert.True(ToolCallFamilies.All[^1].Detects("plain {{ messages }}"));
        Assert.DoesNotContain(ToolCallFamilies.All.SkipLast(1), f => f.Detects("plain {{ messages }}"));
        Assert.Equal(ToolCallFormat.Generic, ToolCallFamilies.Detect(null).Format);
    }

    [Theory]
    [InlineData(ToolCallFormat.GptOss, true)]
    [InlineData(ToolCallFormat.FunctionaryV32, true)]
    [InlineData(ToolCallFormat.Hermes, false)]
    [InlineData(ToolCallFormat.Generic, false)]
    public void Formats_whose_output_starts_inside_a_header_are_known(ToolCallFormat format, bool expected) =>
        Assert.Equal(expected, StreamingOutputParser.OutputStartsInsideHeader(format));
}

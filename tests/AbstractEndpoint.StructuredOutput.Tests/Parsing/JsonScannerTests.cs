using AbstractEndpoint.StructuredOutput.Parsing;

namespace AbstractEndpoint.StructuredOutput.Tests.Parsing;

public sealed class JsonScannerTests
{
    [Theory]
    [InlineData("{}", "Complete", 2)]
    [InlineData("{\"a\": [1, -2.5e+3, true, null, \"x\\u00e9\\n\"]} tail", "Complete", 44)]
    [InlineData("{\"a\": [1, 2", "Incomplete", 11)]
    [InlineData("{\"a\": \"\\u00", "Incomplete", 11)]
    [InlineData("{\"a\": tr", "Incomplete", 8)]
    [InlineData("{\"a\": 12", "Incomplete", 8)]
    [InlineData("12", "Incomplete", 2)]
    [InlineData("{\"a\": 01}", "Invalid", 7)]
    [InlineData("{\"a\" 1}", "Invalid", 5)]
    [InlineData("{\"a\": [1,]}", "Invalid", 9)]
    [InlineData("{\"a\": \"\\x\"}", "Invalid", 6)]
    [InlineData("{\"a\": tru e}", "Invalid", 6)]
    [InlineData("[1.]", "Invalid", 3)]
    public void Scans_prefixes(string text, string expected, int end)
    {
        var status = Enum.Parse<ScanStatus>(expected);
        var (s, e) = JsonScanner.ScanValue(text, 0);
        Assert.Equal(status, s);
        if (status != ScanStatus.Invalid)
        {
            Assert.Equal(end, e);
        }
    }

    [Fact]
    public void A_trailing_number_is_complete_only_at_the_end_of_the_stream()
    {
        Assert.Equal(ScanStatus.Incomplete, JsonScanner.ScanValue("42", 0).Status);
        Assert.Equal((ScanStatus.Complete, 2), JsonScanner.ScanValue("42", 0, final: true));
    }
}

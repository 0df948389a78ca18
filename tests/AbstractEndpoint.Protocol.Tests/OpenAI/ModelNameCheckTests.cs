using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Protocol.Tests.OpenAI;

public sealed class ModelNameCheckTests
{
    [Theory]
    [InlineData("qwen3-4b", "qwen3-4b")]
    [InlineData("openai/gpt-oss-20b", "openai/gpt-oss-20b")] // served as itself: not stripped to gpt-oss-20b
    [InlineData("openai/qwen3-4b", "qwen3-4b")]
    [InlineData("OpenAI/qwen3-4b", "qwen3-4b")]
    [InlineData("lmstudio/qwen3-4b", "qwen3-4b")]
    [InlineData("openai-compatible/qwen3-4b", "qwen3-4b")]
    [InlineData("  qwen3-4b  ", "qwen3-4b")]
    [InlineData("", "qwen3-4b")]
    [InlineData("   ", "qwen3-4b")]
    public void Accepted(string requested, string served)
    {
        Assert.Null(Record.Exception(() => ModelNameCheck.Validate(requested, served)));
    }

    [Theory]
    [InlineData("gpt-4o", "qwen3-4b")]
    [InlineData("Qwen3-4B", "qwen3-4b")]                 // ids are case-sensitive
    [InlineData("someone/qwen3-4b", "qwen3-4b")]         // not a known provider prefix
    [InlineData("gpt-oss-20b", "openai/gpt-oss-20b")]    // the served id is never stripped
    [InlineData("openai/gpt-4o", "qwen3-4b")]
    public void Refused_with_a_400_naming_both_models(string requested, string served)
    {
        var error = Assert.Throws<InvalidRequestException>(() => ModelNameCheck.Validate(requested, served));

        Assert.Equal("model", error.Param);
        Assert.Equal("model_not_found", error.Code);
        Assert.Contains($"'{served}'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{requested}'", error.Message, StringComparison.Ordinal);
    }
}

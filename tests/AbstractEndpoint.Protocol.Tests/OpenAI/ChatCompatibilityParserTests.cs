using System.Text;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Protocol.Tests.OpenAI;

/// <summary>
/// Lenient by default: unknown fields and unavailable features are accepted and reported; wrong types stay 400s;
/// reasoning controls map to one domain type; bodies that are not valid Unicode JSON are 400s naming the position.
/// </summary>
public sealed class ChatCompatibilityParserTests
{
    private static ParsedChatCompletion ParseWith(string extraFields, bool strict = false) =>
        ChatCompletionRequestParser.Parse(
            Encoding.UTF8.GetBytes($$"""{"model":"m","messages":[{"role":"user","content":"hi"}],{{extraFields}}}"""), strict: strict);

    private static InvalidRequestException RefuseWith(string extraFields) =>
        Assert.Throws<InvalidRequestException>(() => ParseWith(extraFields));

    [Fact]
    public void Unknown_fields_are_ignored_and_named()
    {
        var parsed = ParseWith("\"frobnicate\":{\"x\":[1]},\"typical_q\":0.5,\"nothing\":null");

        Assert.Equal(["frobnicate", "typical_q", "nothing"], parsed.Ignored.Select(f => f.Name));
        Assert.All(parsed.Ignored, f => Assert.Equal("unknown field", f.Reason));
        Assert.Equal("hi", parsed.Request.Messages[0].Content);
    }

    [Fact]
    public void A_body_with_only_known_fields_ignores_nothing()
    {
        Assert.Empty(ParseWith("\"temperature\":0.5,\"store\":false,\"service_tier\":\"auto\",\"modalities\":[\"text\"]").Ignored);
    }

    [Theory]
    [InlineData("\"store\":true", "store")]
    [InlineData("\"modalities\":[\"text\",\"audio\"]", "modalities")]
    [InlineData("\"service_tier\":\"flex\"", "service_tier")]
    [InlineData("\"service_tier\":\"priority\"", "service_tier")]
    [InlineData("\"service_tier\":\"tier-of-tomorrow\"", "service_tier")]
    public void Valid_values_of_features_we_do_not_have_are_ignored(string field, string name)
    {
        var parsed = ParseWith(field);

        Assert.Equal(name, Assert.Single(parsed.Ignored).Name);
    }

    [Theory]
    [InlineData("\"store\":\"yes\"", "store")]
    [InlineData("\"modalities\":\"audio\"", "modalities")]
    [InlineData("\"modalities\":[1]", "modalities")]
    [InlineData("\"service_tier\":1", "service_tier")]
    [InlineData("\"temperature\":\"hot\"", "temperature")]
    [InlineData("\"reasoning_effort\":1", "reasoning_effort")]
    [InlineData("\"thinking\":1", "thinking")]
    [InlineData("\"thinking\":[true]", "thinking")]
    [InlineData("\"stream\":true,\"stream_options\":{\"include_obfuscation\":\"no\"}", "stream_options.include_obfuscation")]
    public void Known_fields_with_wrong_types_stay_400s_in_lenient_mode(string field, string param)
    {
        var error = RefuseWith(field);

        Assert.Equal(param, error.Param);
        Assert.Equal("invalid_type", error.Code);
    }

    [Theory]
    [InlineData("\"temperature\":7", "temperature")]
    [InlineData("\"reasoning_effort\":\"extreme\"", "reasoning_effort")]
    [InlineData("\"thinking\":\"bogus\"", "thinking")]
    [InlineData("\"thinking\":\"\"", "thinking")]
    public void Known_fields_with_bad_values_stay_400s_in_lenient_mode(string field, string param)
    {
        var error = RefuseWith(field);

        Assert.Equal(param, error.Param);
        Assert.Equal("invalid_value", error.Code);
    }

    [Theory]
    [InlineData("1e-40", 0f)]
    [InlineData("0.00001", 0f)]
    [InlineData("0.001", 0.001f)]
    [InlineData("0", 0f)]
    public void A_vanishing_temperature_is_greedy(string temperature, float expected)
    {
        // Logits divided by 1e-40 overflow to infinity: under a grammar, llama.cpp aborted the process.
        Assert.Equal(expected, ParseWith($"\"temperature\":{temperature}").Request.Sampling.Temperature);
    }

    [Fact]
    public void Stream_options_include_obfuscation_is_accepted()
    {
        var parsed = ParseWith("\"stream\":true,\"stream_options\":{\"include_usage\":true,\"include_obfuscation\":false}");

        Assert.True(parsed.IncludeUsage);
    }

    [Fact]
    public void Strict_mode_accepts_the_reasoning_fields()
    {
        var parsed = ParseWith("\"reasoning_effort\":\"high\"", strict: true);

        Assert.Equal(new ReasoningControl(true, ReasoningEffort.High), parsed.Request.Reasoning);
    }

    [Theory]
    [InlineData("\"reasoning_effort\":\"none\"", false, null)]
    [InlineData("\"reasoning_effort\":\"minimal\"", true, ReasoningEffort.Minimal)]
    [InlineData("\"reasoning_effort\":\"low\"", true, ReasoningEffort.Low)]
    [InlineData("\"reasoning_effort\":\"medium\"", true, ReasoningEffort.Medium)]
    [InlineData("\"reasoning_effort\":\"HIGH\"", true, ReasoningEffort.High)]
    [InlineData("\"thinking\":true", true, null)]
    [InlineData("\"thinking\":false", false, null)]
    [InlineData("\"thinking\":\"On\"", true, null)]
    [InlineData("\"thinking\":\"yes\"", true, null)]
    [InlineData("\"thinking\":\"TRUE\"", true, null)]
    [InlineData("\"thinking\":\"off\"", false, null)]
    [InlineData("\"thinking\":\"no\"", false, null)]
    [InlineData("\"thinking\":\"None\"", false, null)]
    [InlineData("\"thinking\":\"false\"", false, null)]
    [InlineData("\"thinking\":\"minimal\"", true, ReasoningEffort.Minimal)]
    [InlineData("\"thinking\":\"Low\"", true, ReasoningEffort.Low)]
    [InlineData("\"thinking\":\"medium\"", true, ReasoningEffort.Medium)]
    [InlineData("\"thinking\":\"high\"", true, ReasoningEffort.High)]
    [InlineData("\"thinking\":\"xhigh\"", true, ReasoningEffort.ExtraHigh)]
    [InlineData("\"thinking\":\"Extra High\"", true, ReasoningEffort.ExtraHigh)]
    [InlineData("\"thinking\":\"extra-high\"", true, ReasoningEffort.ExtraHigh)]
    [InlineData("\"thinking\":\"extra_high\"", true, ReasoningEffort.ExtraHigh)]
    [InlineData("\"thinking\":\"x-high\"", true, ReasoningEffort.ExtraHigh)]
    public void Reasoning_controls_map_to_one_domain_type(string field, bool enabled, ReasoningEffort? effort)
    {
        var parsed = ParseWith(field);

        Assert.Equal(new ReasoningControl(enabled, effort), parsed.Request.Reasoning);
        Assert.Empty(parsed.Ignored);
    }

    [Theory]
    [InlineData("\"thinking\":\"auto\"")]
    [InlineData("\"thinking\":null")]
    [InlineData("\"reasoning_effort\":null")]
    public void Auto_or_null_keeps_the_templates_default(string field)
    {
        Assert.Null(ParseWith(field).Request.Reasoning);
    }

    [Fact]
    public void Assistant_history_keeps_its_reasoning_content()
    {
        var parsed = ChatCompletionRequestParser.Parse(Encoding.UTF8.GetBytes(
            """{"model":"m","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello","reasoning_content":"greet back"},{"role":"user","content":"and?"}]}"""));

        Assert.Equal("greet back", parsed.Request.Messages[1].ReasoningContent);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC0, 0x80 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // a surrogate encoded as UTF-8 (CESU-8)
    public void Invalid_utf8_in_a_string_is_a_400_naming_the_position(byte[] bad)
    {
        var body = Concat("{\"model\":\"m\",\n\"messages\":[{\"role\":\"user\",\"content\":\"a"u8.ToArray(), bad, "\"}]}"u8.ToArray());

        var error = Assert.Throws<InvalidRequestException>(() => ChatCompletionRequestParser.Parse(body));

        Assert.Equal("invalid_json", error.Code);
        // The string opens on line 2 at its 38th byte; offset 14 + 37.
        Assert.Contains("line 2, byte 38 (offset 51)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(@"\ud800")]
    [InlineData(@"\udfff")]
    [InlineData(@"\ud800\u0041")]
    [InlineData(@"\udc00\ud800")]
    public void A_lone_surrogate_escape_is_a_400_naming_the_position(string escape)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"model":"m","messages":[{"role":"user","content":"{{escape}}"}]}""");

        var error = Assert.Throws<InvalidRequestException>(() => ChatCompletionRequestParser.Parse(body));

        Assert.Equal("invalid_json", error.Code);
        Assert.Contains("line 1, byte 51 (offset 50)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_property_name_is_a_400_too()
    {
        var body = Encoding.UTF8.GetBytes("""{"model":"m","\ud800":1,"messages":[{"role":"user","content":"hi"}]}""");

        var error = Assert.Throws<InvalidRequestException>(() => ChatCompletionRequestParser.Parse(body));

        Assert.Contains("a property name at line 1, byte 14", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_surrogate_pair_is_text()
    {
        var parsed = ChatCompletionRequestParser.Parse(Encoding.UTF8.GetBytes(
            """{"model":"m","messages":[{"role":"user","content":"\ud83d\ude00 é"}]}"""));

        Assert.Equal("\U0001F600 é", parsed.Request.Messages[0].Content);
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}

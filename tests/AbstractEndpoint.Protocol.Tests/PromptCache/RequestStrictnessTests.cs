using System.Text;
using AbstractEndpoint.PromptCaching.Control;
using AbstractEndpoint.Protocol.PromptCache;

namespace AbstractEndpoint.Protocol.Tests.PromptCache;

/// <summary>
/// The control plane follows chat's rule: unknown top-level fields are ignored, or refused in strict mode
/// (<c>--strict-requests</c>); bytes that are not Unicode text are a 400 naming the position and the field.
/// </summary>
public sealed class RequestStrictnessTests
{
    private static ReadOnlyMemory<byte> Body(string json) => Encoding.UTF8.GetBytes(json);

    private static PromptCacheRequestException Fails(Action parse) => Assert.Throws<PromptCacheRequestException>(parse);

    [Fact]
    public void Strict_mode_refuses_an_unknown_top_level_field_by_name()
    {
        var error = Fails(() => PromptCacheRequestParser.ParseSet(Body("""{"key":"k","colour":"blue"}"""), strict: true));

        Assert.Equal(("colour", "unknown_parameter", "Unrecognized request argument supplied: colour"), (error.Param, error.Code, error.Message));
    }

    [Fact]
    public void Strict_mode_refuses_unknown_fields_on_every_body()
    {
        Assert.Equal("x", Fails(() => PromptCacheRequestParser.ParseUpdate(Body("""{"key":"k","x":1}"""), strict: true)).Param);
        Assert.Equal("x", Fails(() => PromptCacheRequestParser.ParseFork(Body("""{"from_key":"a","to_key":"b","x":1}"""), strict: true)).Param);
        Assert.Equal("x", Fails(() => PromptCacheRequestParser.ParseClear(Body("""{"x":null}"""), strict: true)).Param);
        Assert.Equal("x", Fails(() => PromptCacheRequestParser.ParsePrepareModules(Body("""{"namespace":"n","modules":[],"x":1}"""), strict: true)).Param);
    }

    [Fact]
    public void Strict_mode_accepts_every_known_field_including_nulls()
    {
        var update = PromptCacheRequestParser.ParseUpdate(
            Body("""{"key":"k","prompt":"p","messages":null,"system_prompt":"s","tools":[],"add_generation_prompt":true,"ttl_s":3}"""),
            strict: true);
        Assert.Equal(("k", "p", "s", true, 3.0), (update.Key, update.Prompt, update.SystemPrompt, update.AddGenerationPrompt, update.TtlSeconds));

        Assert.Equal(new PromptCacheSetRequest("k", false, 1), PromptCacheRequestParser.ParseSet(Body("""{"key":"k","make_default":false,"ttl_s":1}"""), strict: true));
        Assert.Equal(new PromptCacheForkRequest("a", "b", true, null), PromptCacheRequestParser.ParseFork(Body("""{"from_key":"a","to_key":"b","make_default":true,"ttl_s":null}"""), strict: true));
        Assert.Equal("k", PromptCacheRequestParser.ParseClear(Body("""{"key":"k"}"""), strict: true).Key);
        Assert.Equal(2, PromptCacheRequestParser.ParsePrepareModules(
            Body("""{"namespace":"n","modules":[],"make_default":true,"ttl_s":5,"version":2}"""), strict: true).Version);
    }

    [Fact]
    public void Lenient_mode_still_ignores_unknown_fields()
    {
        Assert.Equal(new PromptCacheSetRequest("k", true, null), PromptCacheRequestParser.ParseSet(Body("""{"key":"k","colour":"blue"}""")));
    }

    [Fact]
    public void Module_fields_are_not_top_level_fields()
    {
        // A module's unknown field is the normaliser's business (the original skips such a module), not strict mode's.
        var request = PromptCacheRequestParser.ParsePrepareModules(
            Body("""{"namespace":"n","modules":[{"module_id":"a","colour":"blue"}]}"""), strict: true);

        Assert.Single(request.Modules);
    }

    [Fact]
    public void Strict_mode_checks_the_element_overloads_too()
    {
        using var document = System.Text.Json.JsonDocument.Parse("""{"key":"k","colour":"blue"}""");

        Assert.Equal("colour", Fails(() => PromptCacheRequestParser.ParseSet(document.RootElement, strict: true)).Param);
        Assert.Equal("k", PromptCacheRequestParser.ParseSet(document.RootElement).Key);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC0, 0x80 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // a surrogate encoded as UTF-8 (CESU-8)
    public void Invalid_utf8_is_a_400_naming_the_position_and_the_field(byte[] bad)
    {
        byte[] body = [.. "{\"key\":\"k\",\n\"prompt\":\"a"u8, .. bad, .. "\"}"u8];

        var error = Fails(() => PromptCacheRequestParser.ParseUpdate(body));

        Assert.Equal(("invalid_json", "prompt"), (error.Code, error.Param));
        // The string opens on line 2 at its 10th byte; offset 12 + 9.
        Assert.Contains("a string at line 2, byte 10 (offset 21) is not valid Unicode text", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lone_surrogate_escape_in_an_unknown_field_is_a_400_too()
    {
        // Ignoring a field is no licence to accept bytes that are not text: the whole body is checked first.
        var error = Fails(() => PromptCacheRequestParser.ParseSet(Body("""{"key":"k","note":"\udfff"}""")));

        Assert.Equal(("invalid_json", "note"), (error.Code, error.Param));
        Assert.Contains("line 1, byte 19 (offset 18)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_string_inside_a_list_names_the_item()
    {
        var error = Fails(() => PromptCacheRequestParser.ParsePrepareModules(
            Body("""{"namespace":"n","modules":[{"module_id":"a"},{"module_id":"b","prompt":"\ud800"}]}""")));

        Assert.Equal(("invalid_json", "modules[1]"), (error.Code, error.Param));
    }

    [Fact]
    public void A_bad_property_name_is_a_400_naming_its_position()
    {
        var error = Fails(() => PromptCacheRequestParser.ParseSet(Body("""{"key":"k","\ud800":1}""")));

        Assert.Equal(("invalid_json", null), (error.Code, error.Param));
        Assert.Contains("a property name at line 1, byte 12 (offset 11)", error.Message, StringComparison.Ordinal);
    }
}

using System.Text;
using System.Text.Json;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.PromptCaching.Control;
using AbstractEndpoint.Protocol.PromptCache;

namespace AbstractEndpoint.Protocol.Tests.PromptCache;

public sealed class RequestParserTests
{
    private static ReadOnlyMemory<byte> Body(string json) => Encoding.UTF8.GetBytes(json);

    private static PromptCacheRequestException Fails(Action parse) => Assert.Throws<PromptCacheRequestException>(parse);

    [Fact]
    public void Set_defaults_make_default_to_true()
    {
        Assert.Equal(new PromptCacheSetRequest("k", true, null), PromptCacheRequestParser.ParseSet(Body("""{"key":"k"}""")));
        Assert.Equal(new PromptCacheSetRequest("k", false, 2.5), PromptCacheRequestParser.ParseSet(Body("""{"key":"k","make_default":false,"ttl_s":2.5}""")));
    }

    [Fact]
    public void Update_reads_every_field_and_defaults_add_generation_prompt_to_false()
    {
        var request = PromptCacheRequestParser.ParseUpdate(Body(
            """{"key":"k","prompt":"p","messages":[{"role":"user","content":"hi"}],"system_prompt":" s ","tools":[{"type":"function"}],"ttl_s":3}"""));

        Assert.Equal(("k", "p", " s ", false, 3.0), (request.Key, request.Prompt, request.SystemPrompt, request.AddGenerationPrompt, request.TtlSeconds!.Value));
        Assert.Equal("hi", request.Messages![0].GetProperty("content").GetString());
        Assert.Equal("function", request.Tools![0].GetProperty("type").GetString());
        Assert.Equal(new("", null, null, null, false), PromptCacheRequestParser.ParseUpdate(Body("""{"key":"k"}""")).ToFragment());
    }

    [Fact]
    public void Fork_defaults_make_default_to_false()
    {
        Assert.Equal(new PromptCacheForkRequest("a", "b", false, null), PromptCacheRequestParser.ParseFork(Body("""{"from_key":"a","to_key":"b"}""")));
    }

    [Fact]
    public void Clear_key_is_optional()
    {
        Assert.Null(PromptCacheRequestParser.ParseClear(Body("{}")).Key);
        Assert.Null(PromptCacheRequestParser.ParseClear(Body("""{"key":null}""")).Key);
        Assert.Equal("k", PromptCacheRequestParser.ParseClear(Body("""{"key":"k"}""")).Key);
    }

    [Fact]
    public void Prepare_modules_defaults_version_to_1_and_make_default_to_false()
    {
        var request = PromptCacheRequestParser.ParsePrepareModules(Body("""{"namespace":"ns","modules":[{"module_id":"a","bogus":1}]}"""));
        Assert.Equal(("ns", false, (double?)null, 1L), (request.Namespace, request.MakeDefault, request.TtlSeconds, request.Version));
        Assert.Equal(1, request.Modules[0].GetProperty("bogus").GetInt32());
    }

    [Fact]
    public void Parsed_elements_outlive_the_body()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"namespace":"ns","modules":[{"module_id":"a"}]}""");
        var request = PromptCacheRequestParser.ParsePrepareModules(bytes);
        Array.Clear(bytes);
        Assert.Equal("a", request.Modules[0].GetProperty("module_id").GetString());
    }

    [Fact]
    public void Version_accepts_an_integral_float_and_refuses_a_fraction()
    {
        Assert.Equal(2, PromptCacheRequestParser.ParsePrepareModules(Body("""{"namespace":"n","modules":[],"version":2.0}""")).Version);
        var error = Fails(() => PromptCacheRequestParser.ParsePrepareModules(Body("""{"namespace":"n","modules":[],"version":2.5}""")));
        Assert.Equal(("version", "invalid_type"), (error.Param, error.Code));
        error = Fails(() => PromptCacheRequestParser.ParsePrepareModules(Body("""{"namespace":"n","modules":[],"version":1e30}""")));
        Assert.Equal(("version", "invalid_value"), (error.Param, error.Code));
    }

    [Fact]
    public void Ttl_accepts_ints_and_overflow_reads_as_infinity()
    {
        Assert.Equal(7.0, PromptCacheRequestParser.ParseSet(Body("""{"key":"k","ttl_s":7}""")).TtlSeconds);
        Assert.Equal(double.PositiveInfinity, PromptCacheRequestParser.ParseSet(Body("""{"key":"k","ttl_s":1e400}""")).TtlSeconds);
    }

    [Fact]
    public void Not_json_is_an_invalid_json_error()
    {
        var error = Fails(() => PromptCacheRequestParser.ParseSet(Body("{key:")));
        Assert.Equal((null, "invalid_json"), (error.Param, error.Code));
        Assert.StartsWith("We could not parse the JSON body of your request", error.Message, StringComparison.Ordinal);
        Fails(() => PromptCacheRequestParser.ParseClear(Body("")));
    }

    [Fact]
    public void A_body_that_is_not_an_object_is_refused()
    {
        var error = Fails(() => PromptCacheRequestParser.ParseSet(Body("""["k"]""")));
        Assert.Equal(("body", "Invalid type for 'body': expected a JSON object, but got an array."), (error.Param, error.Message));
    }

    [Fact]
    public void Missing_or_null_required_fields_are_named()
    {
        var error = Fails(() => PromptCacheRequestParser.ParseSet(Body("{}")));
        Assert.Equal(("key", "missing_required_parameter", "Missing required parameter: 'key'."), (error.Param, error.Code, error.Message));
        Assert.Equal("to_key", Fails(() => PromptCacheRequestParser.ParseFork(Body("""{"from_key":"a","to_key":null}"""))).Param);
        Assert.Equal("modules", Fails(() => PromptCacheRequestParser.ParsePrepareModules(Body("""{"namespace":"n"}"""))).Param);
    }

    [Theory]
    [InlineData("""{"key":5}""", "key", "Invalid type for 'key': expected a string, but got a number.")]
    [InlineData("""{"key":"k","make_default":"yes"}""", "make_default", "Invalid type for 'make_default': expected a boolean, but got a string.")]
    [InlineData("""{"key":"k","ttl_s":"5"}""", "ttl_s", "Invalid type for 'ttl_s': expected a number, but got a string.")]
    public void Wrong_types_are_named_in_openai_wording(string json, string param, string message)
    {
        var error = Fails(() => PromptCacheRequestParser.ParseSet(Body(json)));
        Assert.Equal((param, "invalid_type", message), (error.Param, error.Code, error.Message));
    }

    [Fact]
    public void List_items_must_be_objects()
    {
        var error = Fails(() => PromptCacheRequestParser.ParsePrepareModules(Body("""{"namespace":"n","modules":[{"module_id":"a"},5]}""")));
        Assert.Equal(("modules[1]", "Invalid type for 'modules[1]': expected an object, but got a number."), (error.Param, error.Message));
        Assert.Equal("messages[0]", Fails(() => PromptCacheRequestParser.ParseUpdate(Body("""{"key":"k","messages":["hi"]}"""))).Param);
        Assert.Equal("tools", Fails(() => PromptCacheRequestParser.ParseUpdate(Body("""{"key":"k","tools":{}}"""))).Param);
    }

    [Fact]
    public void Unpaired_surrogates_are_refused_with_the_field_named()
    {
        Assert.Equal("key", Fails(() => PromptCacheRequestParser.ParseSet(Body("""{"key":"a\ud800"}"""))).Param);
        Assert.Equal("modules[0]", Fails(() => PromptCacheRequestParser.ParsePrepareModules(
            Body("""{"namespace":"n","modules":[{"module_id":"a","messages":[{"c":"\udc00"}]}]}"""))).Param);
    }

    [Fact]
    public void Unknown_fields_are_ignored_and_a_repeated_field_keeps_its_last_value()
    {
        Assert.Equal(new PromptCacheSetRequest("second", true, null), PromptCacheRequestParser.ParseSet(Body("""{"key":"first","extra":[1],"key":"second"}""")));
    }

    [Fact]
    public void Null_optional_fields_take_their_defaults()
    {
        Assert.Equal(new PromptCacheSetRequest("k", true, null), PromptCacheRequestParser.ParseSet(Body("""{"key":"k","make_default":null,"ttl_s":null}""")));
    }

    [Fact]
    public void Errors_are_invalid_request_exceptions_so_the_host_answers_400()
    {
        Assert.IsAssignableFrom<InvalidRequestException>(Fails(() => PromptCacheRequestParser.ParseSet(Body("{}"))));
    }

    [Fact]
    public void Element_overloads_parse_the_same()
    {
        using var document = JsonDocument.Parse("""{"from_key":"a","to_key":"b","make_default":true}""");
        Assert.Equal(new PromptCacheForkRequest("a", "b", true, null), PromptCacheRequestParser.ParseFork(document.RootElement));
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace AbstractEndpoint.Bench.Fuzz;

/// <summary>
/// Mutations of valid bodies of every POST route that a server must answer with a 4xx or a 2xx, never a 5xx or a dropped
/// connection: byte flips, truncation, invalid UTF-8 inside strings, lone surrogate escapes, deep nesting, huge
/// numbers, every node replaced by every JSON type, duplicated and unknown keys. Deterministic per seed, so a
/// failing body can be regenerated from its seed and index.
/// </summary>
public sealed class FuzzBodyGenerator(int seed)
{
    /// <summary>
    /// Valid bodies the mutations start from. Each chat body limits its reply twice (<c>max_tokens</c> and
    /// <c>max_completion_tokens</c>), so one mutation cannot turn it into a reply that fills the context.
    /// </summary>
    public static IReadOnlyList<(string Path, string Body)> Seeds { get; } =
    [
        ("/v1/chat/completions", """{"model":"","messages":[{"role":"user","content":"Once upon a time"}],"max_tokens":2,"max_completion_tokens":2}"""),
        ("/v1/chat/completions", """{"model":"","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Hi"}]}],"max_tokens":2,"max_completion_tokens":2,"temperature":0.7,"top_p":0.9,"top_k":40,"min_p":0.05,"seed":7,"stop":["\n","END"],"n":2}"""),
        ("/v1/chat/completions", """{"model":"","messages":[{"role":"user","content":"Hi"}],"max_tokens":2,"max_completion_tokens":2,"stream":true,"stream_options":{"include_usage":true}}"""),
        ("/v1/chat/completions", """{"model":"","messages":[{"role":"user","content":"Weather?"},{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},{"role":"tool","tool_call_id":"c1","content":"sunny"}],"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],"tool_choice":"auto","max_tokens":2,"max_completion_tokens":2}"""),
        ("/v1/chat/completions", """{"model":"","messages":[{"role":"user","content":"JSON please"}],"max_tokens":2,"max_completion_tokens":2,"response_format":{"type":"json_schema","json_schema":{"name":"r","schema":{"type":"object","properties":{"a":{"type":"integer"}}}}},"logit_bias":{"2":-100},"presence_penalty":0.5,"frequency_penalty":0.5,"repeat_penalty":1.1}"""),
        ("/v1/chat/completions", """{"model":"","messages":[{"role":"assistant","content":"Hi","reasoning_content":"think"},{"role":"user","content":"Hi"}],"max_tokens":2,"max_completion_tokens":2,"chat_template_kwargs":{"enable_thinking":false},"user":"u","metadata":{"k":"v"},"service_tier":"auto"}"""),
        ("/apply-template", """{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"}]}"""),
        ("/v1/chat/completions/input_tokens", """{"model":"","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}]}"""),
        ("/v1/completions", """{"model":"","prompt":"Once upon a time","max_tokens":2,"temperature":0,"stop":["\n"],"logprobs":2}"""),
        ("/v1/completions", """{"model":"","prompt":[[1,2,3],[4,5]],"max_tokens":2,"n":2,"stream":true,"stream_options":{"include_usage":true},"seed":3}"""),
        ("/v1/completions", """{"model":"","prompt":"The cat","max_tokens":2,"best_of":2,"logit_bias":{"5":-100},"presence_penalty":0.3,"echo":true}"""),
        ("/v1/embeddings", """{"model":"","input":["Once upon a time","Hi"],"encoding_format":"float"}"""),
        ("/v1/embeddings", """{"model":"","input":[[1,2,3]],"encoding_format":"base64","user":"u"}"""),
        ("/v1/responses", """{"model":"","input":"Once upon a time","max_output_tokens":2,"temperature":0,"instructions":"Be brief.","store":false}"""),
        ("/v1/responses", """{"model":"","input":[{"role":"user","content":[{"type":"input_text","text":"Hi"}]}],"max_output_tokens":2,"stream":true,"tools":[{"type":"function","name":"f","parameters":{"type":"object","properties":{}}}],"text":{"format":{"type":"text"}}}"""),
        ("/v1/responses/input_tokens", """{"model":"","input":[{"role":"user","content":"Hi"}],"instructions":"Be brief."}"""),
        ("/v1/messages", """{"model":"m","max_tokens":2,"system":"Be brief.","messages":[{"role":"user","content":"Once upon a time"}],"temperature":0,"stop_sequences":["END"]}"""),
        ("/v1/messages", """{"model":"m","max_tokens":2,"stream":true,"messages":[{"role":"user","content":[{"type":"text","text":"Weather?"}]},{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"w","input":{"city":"Paris"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"sunny"}]}],"tools":[{"name":"w","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}],"thinking":{"type":"disabled"}}"""),
        ("/v1/messages/count_tokens", """{"model":"m","system":[{"type":"text","text":"Be brief."}],"messages":[{"role":"user","content":"Hi"}]}"""),
        ("/tokenize", """{"content":"Hello world","add_special":true,"with_pieces":true}"""),
        ("/detokenize", """{"tokens":[1,2,3,4]}"""),
        ("/acore/prompt_cache/set", """{"key":"fuzz","ttl_s":60,"make_default":false}"""),
        ("/acore/prompt_cache/update", """{"key":"fuzz","system_prompt":"Be brief.","messages":[{"role":"user","content":"Hi"}],"add_generation_prompt":false}"""),
        ("/acore/prompt_cache/fork", """{"from_key":"fuzz","to_key":"fuzz-copy","ttl_s":30}"""),
        ("/acore/prompt_cache/clear", """{"key":"fuzz-copy"}"""),
        ("/acore/prompt_cache/prepare_modules", """{"namespace":"fuzz","modules":[{"module_id":"persona","system_prompt":"You are Ada."},{"module_id":"memory","messages":[{"role":"user","content":"My name is Bo."}]}],"ttl_s":60}"""),
    ];

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0xC0, 0x80], [0x80], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80], [0xC3],
    ];

    private static readonly string[] SurrogateEscapes = [@"\ud800", @"\udfff", @"\ud800\u0041", @"\udc00\ud800", @"\uD83D", @"\ud800\\"];

    private static readonly string[] Numbers =
    [
        "1e400", "-1e400", "1e-400", "99999999999999999999999999", "-99999999999999999999", "-0", "0.0000000000000000001", "4294967296",
        "2147483648", "-2147483649", "1.5", "1E2", "123456789012345678901234567890.5",
        "0", "1e-40", "1e-38", "0.01", "-1e-40",
    ];

    private static readonly string[] Values =
    [
        "\"x\"", "\"\"", "1", "0", "-1", "1.5", "true", "false", "null", "[]", "{}", "[1]", "[\"a\"]", "{\"a\":1}", "[null]", "{\"type\":null}",
    ];

    /// <summary>Every route the seeds cover, each drawn as often as the others whatever its number of seeds.</summary>
    public static IReadOnlyList<string> Routes { get; } = [.. Seeds.Select(s => s.Path).Distinct()];

    private readonly Random _random = new(seed);

    /// <summary>The next mutated body.</summary>
    public FuzzBody Next()
    {
        var route = Routes[_random.Next(Routes.Count)];
        var ofRoute = Seeds.Where(s => s.Path == route).ToList();
        var (path, body) = ofRoute[_random.Next(ofRoute.Count)];
        return _random.Next(13) switch
        {
            12 => new FuzzBody(path, Encoding.UTF8.GetBytes(WrongRoot()), "wrong root"),
            0 => new FuzzBody(path, FlipBytes(Encoding.UTF8.GetBytes(body)), "byte flip"),
            1 => new FuzzBody(path, Encoding.UTF8.GetBytes(body)[.._random.Next(body.Length)], "truncation"),
            2 => new FuzzBody(path, InsertInString(body, InvalidUtf8[_random.Next(InvalidUtf8.Length)]), "invalid UTF-8"),
            3 => new FuzzBody(path, InsertInString(body, Encoding.UTF8.GetBytes(SurrogateEscapes[_random.Next(SurrogateEscapes.Length)])), "lone surrogate"),
            4 => new FuzzBody(path, Encoding.UTF8.GetBytes(ReplaceNode(body, Nesting())), "deep nesting"),
            5 => new FuzzBody(path, Encoding.UTF8.GetBytes(ReplaceNode(body, Numbers[_random.Next(Numbers.Length)])), "huge number"),
            6 or 7 => new FuzzBody(path, Encoding.UTF8.GetBytes(ReplaceNode(body, Values[_random.Next(Values.Length)])), "wrong type"),
            8 => new FuzzBody(path, Encoding.UTF8.GetBytes(DuplicateKey(body)), "duplicated key"),
            9 => new FuzzBody(path, Encoding.UTF8.GetBytes(AddUnknownKey(body)), "unknown key"),
            10 => new FuzzBody(path, InsertBytes(Encoding.UTF8.GetBytes(body)), "random bytes"),
            _ => new FuzzBody(path, Encoding.UTF8.GetBytes(ReplaceKey(body)), "renamed key"),
        };
    }

    /// <summary>A body that is not an object at all: empty, blank, a scalar, an array, or two documents.</summary>
    private string WrongRoot()
    {
        string[] roots = ["", " ", "\n", "[]", "[{}]", "null", "1", "\"x\"", "true", "{}{}", "{} []", "{", "}", "\ufeff{}"];
        return roots[_random.Next(roots.Length)];
    }

    private byte[] FlipBytes(byte[] bytes)
    {
        for (var flips = _random.Next(1, 4); flips > 0; flips--)
        {
            bytes[_random.Next(bytes.Length)] = (byte)_random.Next(256);
        }

        return bytes;
    }

    private byte[] InsertBytes(byte[] bytes)
    {
        var insert = new byte[_random.Next(1, 8)];
        _random.NextBytes(insert);
        var at = _random.Next(bytes.Length + 1);
        return [.. bytes[..at], .. insert, .. bytes[at..]];
    }

    /// <summary>Inserts raw bytes right after an opening quote, i.e. inside a string or a property name.</summary>
    private byte[] InsertInString(string body, byte[] insert)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var quotes = Enumerable.Range(0, bytes.Length).Where(i => bytes[i] == (byte)'"').ToArray();
        var at = quotes[_random.Next(quotes.Length)] + 1;
        return [.. bytes[..at], .. insert, .. bytes[at..]];
    }

    private string Nesting()
    {
        var depth = _random.Next(4) switch { 0 => 64, 1 => 130, 2 => 1000, _ => 20000 };
        return _random.Next(2) == 0
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
    }

    /// <summary>Replaces one random node (top-level field, nested field or array item) by raw JSON text.</summary>
    private string ReplaceNode(string body, string replacement)
    {
        // Plain ASCII: a control character would be written escaped and the replacement would never find it.
        const string marker = "\"__fuzz_node_3b7e__\"";
        var root = JsonNode.Parse(body)!;
        var nodes = Descendants(root).ToList();
        var target = nodes[_random.Next(nodes.Count)];
        var placeholder = JsonValue.Create("__fuzz_node_3b7e__");
        switch (target.Parent)
        {
            case JsonObject parent:
                parent[target.GetPropertyName()] = placeholder;
                break;
            case JsonArray array:
                array[target.GetElementIndex()] = placeholder;
                break;
        }

        var text = root.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        return text.Replace(marker, replacement, StringComparison.Ordinal);
    }

    private string DuplicateKey(string body)
    {
        var root = JsonNode.Parse(body)!.AsObject();
        var key = root.ElementAt(_random.Next(root.Count)).Key;
        var value = Values[_random.Next(Values.Length)];
        return body[..^1] + $",\"{key}\":{value}}}";
    }

    private string AddUnknownKey(string body)
    {
        string[] names = ["frobnicate", "reasoning_effort", "thinking", "typical_p", "cache_prompt", "store", "modalities", "functions", "service_tier", "logprobs", "grammar"];
        var value = _random.Next(3) == 0 ? Numbers[_random.Next(Numbers.Length)] : Values[_random.Next(Values.Length)];
        return body[..^1] + $",\"{names[_random.Next(names.Length)]}\":{value}}}";
    }

    private string ReplaceKey(string body)
    {
        var root = JsonNode.Parse(body)!;
        var objects = Descendants(root).Prepend(root).OfType<JsonObject>().Where(o => o.Count > 0).ToList();
        var target = objects[_random.Next(objects.Count)];
        var key = target.ElementAt(_random.Next(target.Count)).Key;
        var value = target[key]?.DeepClone();
        target.Remove(key);
        target[key + _random.Next(10).ToString(CultureInfo.InvariantCulture)] = value;
        return root.ToJsonString();
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a,
            _ => [],
        };
        foreach (var child in children)
        {
            if (child is null)
            {
                continue;
            }

            yield return child;
            foreach (var below in Descendants(child))
            {
                yield return below;
            }
        }
    }
}

using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;

namespace AbstractEndpoint.StructuredOutput.Tests.Parsing;

/// <summary>A model output in one format and what it must parse to.</summary>
public sealed record OutputSample(
    string Name,
    ToolCallFormat Format,
    string Output,
    string Content,
    string Reasoning = "",
    (string Name, string Arguments)[]? Calls = null,
    bool StartsInReasoning = false,
    ReasoningFormat ReasoningFormat = ReasoningFormat.Extract,
    int FailedCalls = 0)
{
    public override string ToString() => Name;
}

internal static class OutputSamples
{
    public static readonly ToolDefinition[] Tools =
    [
        TestTools.Define("run_cmd", JsonNode.Parse("""{"type":"object","properties":{"cmd":{"type":"string"},"timeout":{"type":"integer"},"env":{"type":"object"}},"required":["cmd"]}""")),
        TestTools.Define("get_weather", JsonNode.Parse("""{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"},"zip":{"type":"string"}},"required":["city"]}""")),
    ];

    public static readonly OutputSample[] All =
    [
        // Hermes / Qwen
        new("hermes-basic", ToolCallFormat.Hermes,
            "Let me check.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\", \"unit\": \"celsius\"}}\n</tool_call>",
            "Let me check.", Calls: [("get_weather", "{\"city\": \"Paris\", \"unit\": \"celsius\"}")]),
        new("hermes-think-two-calls", ToolCallFormat.Hermes,
            "<think>\nI should call the tools.\n</think>\n\n<tool_call>\n{\"name\": \"a\", \"arguments\": {}}\n</tool_call>\n<tool_call>\n{\"name\": \"b\", \"arguments\": {\"x\": [1, 2.5e3, \"}\"]}}\n</tool_call>",
            "", "I should call the tools.", [("a", "{}"), ("b", "{\"x\": [1, 2.5e3, \"}\"]}")]),
        new("hermes-starts-in-reasoning", ToolCallFormat.Hermes,
            "Thinking about it.\n</think>\n\nThe answer is 4.", "The answer is 4.", "Thinking about it.", StartsInReasoning: true),
        new("hermes-marker-in-prose", ToolCallFormat.Hermes,
            "Use the <tool_call> tag like <tool_call>this</tool_call>. Also <tool_", "Use the <tool_call> tag like <tool_call>this</tool_call>. Also <tool_"),
        new("hermes-incomplete-call", ToolCallFormat.Hermes,
            "Calling.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Par", "Calling.", FailedCalls: 1),
        new("hermes-unterminated-but-complete", ToolCallFormat.Hermes,
            "<tool_call>\n{\"name\": \"f\", \"arguments\": {\"a\": true}}", "", Calls: [("f", "{\"a\": true}")]),
        new("hermes-arguments-first", ToolCallFormat.Hermes,
            "<tool_call>{\"arguments\": {\"q\": \"x\"}, \"name\": \"search\"}</tool_call>", "", Calls: [("search", "{\"q\": \"x\"}")]),
        new("hermes-unicode", ToolCallFormat.Hermes,
            "Voilà 😀 — <tool_call>{\"name\":\"say\",\"arguments\":{\"text\":\"日本😀\\n\\u00e9\"}}</tool_call>",
            "Voilà 😀 —", Calls: [("say", "{\"text\":\"日本😀\\n\\u00e9\"}")]),
        new("hermes-stringified-arguments", ToolCallFormat.Hermes,
            "<tool_call>{\"name\": \"f\", \"arguments\": \"{\\\"a\\\": 1}\"}</tool_call>", "", Calls: [("f", "{\"a\": 1}")]),
        new("hermes-openai-shape", ToolCallFormat.Hermes,
            "<tool_call>{\"type\": \"function\", \"function\": {\"name\": \"f\", \"arguments\": {\"a\": 1}}}</tool_call>", "", Calls: [("f", "{\"a\": 1}")]),
        new("hermes-content-after-call", ToolCallFormat.Hermes,
            "<tool_call>{\"name\": \"f\", \"arguments\": {}}</tool_call>\n\nDone.", "Done.", Calls: [("f", "{}")]),
        new("hermes-reasoning-inline", ToolCallFormat.Hermes,
            "<think>x</think>Hi", "<think>x</think>Hi", ReasoningFormat: ReasoningFormat.None),
        new("hermes-bad-arguments", ToolCallFormat.Hermes,
            "<tool_call>{\"name\": \"f\", \"arguments\": [1]}</tool_call>", "", FailedCalls: 1),

        // Qwen3-Coder and GLM (XML-style parameters, typed by the tool schema)
        new("qwen3coder", ToolCallFormat.Qwen3Coder,
            "I'll run it.\n<tool_call>\n<function=run_cmd>\n<parameter=cmd>\nls -la \"x\"\n</parameter>\n<parameter=timeout>\n30\n</parameter>\n<parameter=env>\n{\"A\": \"1\"}\n</parameter>\n</function>\n</tool_call>",
            "I'll run it.", Calls: [("run_cmd", "{\"cmd\": \"ls -la \\\"x\\\"\", \"timeout\": 30, \"env\": {\"A\":\"1\"}}")]),
        new("qwen3coder-string-number", ToolCallFormat.Qwen3Coder,
            "<tool_call>\n<function=get_weather>\n<parameter=city>\nParis\n</parameter>\n<parameter=zip>\n75001\n</parameter>\n</function>\n</tool_call>",
            "", Calls: [("get_weather", "{\"city\": \"Paris\", \"zip\": \"75001\"}")]),
        new("glm45", ToolCallFormat.Glm45,
            "<think>plan</think>\nCalling.\n<tool_call>get_weather\n<arg_key>city</arg_key>\n<arg_value>Beijing</arg_value>\n<arg_key>days</arg_key>\n<arg_value>3</arg_value>\n</tool_call>",
            "Calling.", "plan", [("get_weather", "{\"city\": \"Beijing\", \"days\": 3}")]),

        // Llama 3.x
        new("llama3-json", ToolCallFormat.Llama3Json,
            "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Oslo\"}}", "", Calls: [("get_weather", "{\"city\": \"Oslo\"}")]),
        new("llama3-braces-in-prose", ToolCallFormat.Llama3Json,
            "Use {braces} and {\"k\": 1} freely {", "Use {braces} and {\"k\": 1} freely {"),
        new("llama3-python-tag-json", ToolCallFormat.Llama3Json,
            "<|python_tag|>{\"type\": \"function\", \"name\": \"f\", \"parameters\": {\"a\": \"b\"}}", "", Calls: [("f", "{\"a\": \"b\"}")]),
        new("llama3-builtin", ToolCallFormat.Llama3Json,
            "<|python_tag|>brave_search.call(query=\"weather in Oslo\", n=3)", "", Calls: [("brave_search", "{\"query\": \"weather in Oslo\", \"n\": 3}")]),
        new("llama3-code", ToolCallFormat.Llama3Json,
            "<|python_tag|>print(\"hi\")\nx = 1", "", Calls: [("python", "{\"code\": \"print(\\\"hi\\\")\\nx = 1\"}")]),

        // Functionary
        new("functionary-v31", ToolCallFormat.FunctionaryV31,
            "Checking.<function=get_weather>{\"city\": \"Rome\"}</function>", "Checking.", Calls: [("get_weather", "{\"city\": \"Rome\"}")]),
        new("functionary-v32", ToolCallFormat.FunctionaryV32,
            "all\nLet me look.>>>get_weather\n{\"city\": \"Rome\"}>>>get_time\n{}", "Let me look.", Calls: [("get_weather", "{\"city\": \"Rome\"}"), ("get_time", "{}")]),
        new("functionary-v32-plain", ToolCallFormat.FunctionaryV32, "Hello there!", "Hello there!"),

        // Mistral
        new("mistral-v11", ToolCallFormat.Mistral,
            "[THINK]hmm[/THINK]Sure.[TOOL_CALLS]get_weather[ARGS]{\"city\": \"Paris\"}[TOOL_CALLS]get_time[CALL_ID]abc123XYZ[ARGS]{}",
            "Sure.", "hmm", [("get_weather", "{\"city\": \"Paris\"}"), ("get_time", "{}")]),
        new("mistral-nemo", ToolCallFormat.MistralNemo,
            "[TOOL_CALLS][{\"name\": \"a\", \"arguments\": {\"x\": 1}, \"id\": \"abcdefghi\"}, {\"name\": \"b\", \"arguments\": {}}]", "",
            Calls: [("a", "{\"x\": 1}"), ("b", "{}")]),
        new("mistral-prose", ToolCallFormat.Mistral, "The [TOOL_CALLS] token is special [TOOL", "The [TOOL_CALLS] token is special [TOOL"),

        // DeepSeek
        new("deepseek-r1", ToolCallFormat.DeepSeekR1,
            "Okay, think.\n</think>\n\n<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>get_weather\n```json\n{\"city\": \"Tokyo\"}\n```<｜tool▁call▁end｜>\n<｜tool▁call▁begin｜>function<｜tool▁sep｜>get_time\n```json\n{}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>",
            "", "Okay, think.", [("get_weather", "{\"city\": \"Tokyo\"}"), ("get_time", "{}")], StartsInReasoning: true),
        new("deepseek-v31", ToolCallFormat.DeepSeekV31,
            "Sure.<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>get_weather<｜tool▁sep｜>{\"city\": \"Tokyo\"}<｜tool▁call▁end｜><｜tool▁calls▁end｜>",
            "Sure.", Calls: [("get_weather", "{\"city\": \"Tokyo\"}")]),

        // Cohere
        new("command-r", ToolCallFormat.CommandR,
            "Action: ```json\n[\n    {\n        \"tool_name\": \"internet_search\",\n        \"parameters\": {\"query\": \"x\"}\n    }\n]\n```",
            "", Calls: [("internet_search", "{\"query\": \"x\"}")]),
        new("command-r7b", ToolCallFormat.CommandR7B,
            "<|START_THINKING|>I will search.<|END_THINKING|><|START_ACTION|>[\n    {\"tool_call_id\": \"0\", \"tool_name\": \"search\", \"parameters\": {\"q\": \"x\"}}\n]<|END_ACTION|>",
            "", "I will search.", [("search", "{\"q\": \"x\"}")]),
        new("command-r7b-response", ToolCallFormat.CommandR7B, "<|START_RESPONSE|>Hello there<|END_RESPONSE|>", "Hello there"),

        // Granite, FireFunction, Kimi
        new("granite-response", ToolCallFormat.Granite, "<think>hmm</think><response>Sure</response>", "Sure", "hmm"),
        new("granite-call", ToolCallFormat.Granite, "<|tool_call|>[{\"name\": \"f\", \"arguments\": {\"a\": 1}}]", "", Calls: [("f", "{\"a\": 1}")]),
        new("firefunction", ToolCallFormat.FireFunctionV2, " functools[{\"name\": \"f\", \"arguments\": {\"a\": 1}}, {\"name\": \"g\", \"arguments\": {}}]", "",
            Calls: [("f", "{\"a\": 1}"), ("g", "{}")]),
        new("kimi-k2", ToolCallFormat.KimiK2,
            "<think>r</think>Checking.<|tool_calls_section_begin|><|tool_call_begin|>functions.get_weather:0<|tool_call_argument_begin|>{\"city\": \"Paris\"}<|tool_call_end|><|tool_call_begin|>functions.get_time:1<|tool_call_argument_begin|>{}<|tool_call_end|><|tool_calls_section_end|>",
            "Checking.", "r", [("get_weather", "{\"city\": \"Paris\"}"), ("get_time", "{}")]),

        // gpt-oss harmony
        new("gpt-oss-call", ToolCallFormat.GptOss,
            "<|channel|>analysis<|message|>Need weather.<|end|><|start|>assistant<|channel|>commentary to=functions.get_weather <|constrain|>json<|message|>{\"city\":\"Paris\"}<|call|>",
            "", "Need weather.", [("get_weather", "{\"city\":\"Paris\"}")]),
        new("gpt-oss-final", ToolCallFormat.GptOss,
            "<|channel|>analysis<|message|>Think.<|end|><|start|>assistant<|channel|>final<|message|>Hi there!<|return|>", "Hi there!", "Think."),
        new("gpt-oss-recipient-first", ToolCallFormat.GptOss,
            " to=functions.f<|channel|>commentary json<|message|>{}", "", Calls: [("f", "{}")]),
        new("gpt-oss-plain", ToolCallFormat.GptOss, "Hello, plain text.", "Hello, plain text."),

        // Generic JSON
        new("generic-tool-calls", ToolCallFormat.Generic,
            "{\"tool_calls\": [{\"name\": \"a\", \"arguments\": {\"x\": 1}}, {\"name\": \"b\", \"arguments\": {}}]}", "", Calls: [("a", "{\"x\": 1}"), ("b", "{}")]),
        new("generic-single", ToolCallFormat.Generic, "{\"name\": \"a\", \"arguments\": {\"k\": [true]}}", "", Calls: [("a", "{\"k\": [true]}")]),
        new("generic-prose", ToolCallFormat.Generic, "Plain {\"k\": 1} text {\"name\" is not a call", "Plain {\"k\": 1} text {\"name\" is not a call"),
    ];
}

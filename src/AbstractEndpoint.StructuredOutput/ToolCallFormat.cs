namespace AbstractEndpoint.StructuredOutput;

/// <summary>The tool-call markup a model family writes (chosen from its chat template by <see cref="ToolCallFormatDetector"/>).</summary>
public enum ToolCallFormat
{
    /// <summary>No native markup: a JSON object <c>{"tool_calls": [{"name": ..., "arguments": {...}}]}</c> or <c>{"name": ..., "arguments": {...}}</c>.</summary>
    Generic,

    /// <summary><c>&lt;tool_call&gt;{"name": ..., "arguments": {...}}&lt;/tool_call&gt;</c> (Hermes 2/3, Qwen 2.5/3, QwQ, MiMo).</summary>
    Hermes,

    /// <summary><c>&lt;tool_call&gt;&lt;function=name&gt;&lt;parameter=k&gt;v&lt;/parameter&gt;&lt;/function&gt;&lt;/tool_call&gt;</c> (Qwen3-Coder).</summary>
    Qwen3Coder,

    /// <summary><c>&lt;tool_call&gt;name&lt;arg_key&gt;k&lt;/arg_key&gt;&lt;arg_value&gt;v&lt;/arg_value&gt;&lt;/tool_call&gt;</c> (GLM-4.5/4.6).</summary>
    Glm45,

    /// <summary><c>{"name": ..., "parameters": {...}}</c>, optionally after <c>&lt;|python_tag|&gt;</c> (Llama 3.1/3.2/3.3).</summary>
    Llama3Json,

    /// <summary><c>&lt;function=name&gt;{...}&lt;/function&gt;</c> and <c>&lt;|python_tag|&gt;</c> code (Functionary v3.1 on Llama 3.1).</summary>
    FunctionaryV31,

    /// <summary><c>&gt;&gt;&gt;name\n{...}</c> / <c>&gt;&gt;&gt;all\ntext</c> after a prompt that ends in <c>&gt;&gt;&gt;</c> (Functionary v3.2).</summary>
    FunctionaryV32,

    /// <summary><c>[TOOL_CALLS][{"name": ..., "arguments": {...}, "id": ...}]</c> (Mistral Nemo and other pre-v11 tokenizers).</summary>
    MistralNemo,

    /// <summary><c>[TOOL_CALLS]name[ARGS]{...}</c>, optionally with <c>[CALL_ID]id</c> (Mistral Small 3.2, Devstral, Magistral/Ministral).</summary>
    Mistral,

    /// <summary><c>&lt;｜tool▁calls▁begin｜&gt;&lt;｜tool▁call▁begin｜&gt;function&lt;｜tool▁sep｜&gt;name\n```json\n{...}\n```&lt;｜tool▁call▁end｜&gt;</c> (DeepSeek R1).</summary>
    DeepSeekR1,

    /// <summary><c>&lt;｜tool▁calls▁begin｜&gt;&lt;｜tool▁call▁begin｜&gt;name&lt;｜tool▁sep｜&gt;{...}&lt;｜tool▁call▁end｜&gt;</c> (DeepSeek V3.1).</summary>
    DeepSeekV31,

    /// <summary><c>Action: ```json [{"tool_name": ..., "parameters": {...}}] ```</c> (Command R / R+).</summary>
    CommandR,

    /// <summary><c>&lt;|START_ACTION|&gt;[{"tool_call_id": ..., "tool_name": ..., "parameters": {...}}]&lt;|END_ACTION|&gt;</c> (Command R7B).</summary>
    CommandR7B,

    /// <summary><c>&lt;|tool_call|&gt;[{"name": ..., "arguments": {...}}]</c> (IBM Granite 3.x).</summary>
    Granite,

    /// <summary><c>functools[{"name": ..., "arguments": {...}}]</c> (FireFunction v2).</summary>
    FireFunctionV2,

    /// <summary><c>&lt;|tool_calls_section_begin|&gt;&lt;|tool_call_begin|&gt;functions.name:0&lt;|tool_call_argument_begin|&gt;{...}&lt;|tool_call_end|&gt;</c> (Kimi K2).</summary>
    KimiK2,

    /// <summary>Harmony channels: <c>&lt;|channel|&gt;commentary to=functions.name &lt;|constrain|&gt;json&lt;|message|&gt;{...}</c> (gpt-oss).</summary>
    GptOss,
}

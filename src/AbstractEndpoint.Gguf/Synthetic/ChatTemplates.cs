namespace AbstractEndpoint.Gguf.Synthetic;

/// <summary>Chat templates to embed in synthetic models (<c>tokenizer.chat_template</c>).</summary>
public static class ChatTemplates
{
    /// <summary>
    /// Plain ChatML: <c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c> per message, and
    /// <c>&lt;|im_start|&gt;assistant\n</c> when a generation prompt is requested.
    /// </summary>
    public const string ChatMl =
        "{%- for message in messages -%}\n" +
        "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' -}}\n" +
        "{%- endfor -%}\n" +
        "{%- if add_generation_prompt -%}\n" +
        "{{- '<|im_start|>assistant\\n' -}}\n" +
        "{%- endif -%}\n";
}

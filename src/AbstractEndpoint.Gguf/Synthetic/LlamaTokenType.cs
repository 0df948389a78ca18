namespace AbstractEndpoint.Gguf.Synthetic;

/// <summary>The values of <c>tokenizer.ggml.token_type</c> (llama.cpp's llama_token_type).</summary>
public enum LlamaTokenType
{
    Undefined = 0,
    Normal = 1,
    Unknown = 2,
    Control = 3,
    UserDefined = 4,
    Unused = 5,
    Byte = 6,
}

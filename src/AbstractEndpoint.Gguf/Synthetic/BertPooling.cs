namespace AbstractEndpoint.Gguf.Synthetic;

/// <summary>The values of <c>&lt;arch&gt;.pooling_type</c> a BERT embedding model names (llama.cpp's llama_pooling_type).</summary>
public enum BertPooling
{
    /// <summary>The mean of the input's token vectors (sentence-transformers' MiniLM, bge-m3 …).</summary>
    Mean = 1,

    /// <summary>The first token's vector (bge-small, bge-base …).</summary>
    Cls = 2,
}

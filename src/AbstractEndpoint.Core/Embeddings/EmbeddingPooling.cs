namespace AbstractEndpoint.Core.Embeddings;

/// <summary>How one vector is made from an input's token vectors (<c>--pooling</c>; llama.cpp's pooling types).</summary>
public enum EmbeddingPooling
{
    /// <summary>The mean of every token's vector.</summary>
    Mean,

    /// <summary>The first token's vector (BERT's <c>[CLS]</c>).</summary>
    Cls,

    /// <summary>The last token's vector: what a causal (decoder) model has seen the whole input at.</summary>
    Last,
}

namespace AbstractEndpoint.Llama;

/// <summary>
/// How the KV cache stores keys or values (llama-server's <c>--cache-type-k/-v</c>). <see cref="Q8_0"/> takes about
/// half the memory of <see cref="F16"/> and <see cref="Q4_0"/> about a quarter, at some cost in accuracy; a quantized
/// value cache needs flash attention.
/// </summary>
public enum KvCacheType
{
    F16,
    Q8_0,
    Q4_0,
}

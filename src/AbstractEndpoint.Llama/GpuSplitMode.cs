namespace AbstractEndpoint.Llama;

/// <summary>How a model is spread over several GPUs (llama-server's <c>--split-mode</c>).</summary>
public enum GpuSplitMode
{
    /// <summary>Everything on the main GPU.</summary>
    None,

    /// <summary>Whole layers (and their KV cache) to each GPU: llama.cpp's default.</summary>
    Layer,

    /// <summary>Each weight matrix cut in rows across the GPUs.</summary>
    Row,
}

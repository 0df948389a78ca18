using AbstractEndpoint.TestSupport;

namespace AbstractEndpoint.Gguf.Tests;

public sealed class SharedModelReadingTests
{
    [SkippableFact]
    public void Stories260K_header_is_read()
    {
        var path = SharedAssets.File("models", "stories260K.gguf");
        Skip.If(path is null, SharedAssets.MissingReason);

        var file = GgufFile.Read(path);

        Assert.Equal("llama", file.Architecture);
        Assert.Equal(2048, file.ContextLength);
        Assert.Null(file.ChatTemplate);
        Assert.Equal(48, file.Tensors.Count);
        Assert.Equal(512, file.Metadata["tokenizer.ggml.tokens"].Count);
        Assert.Equal([64L, 512L], file.FindTensor("token_embd.weight")!.Dimensions);
        Assert.All(file.Tensors, t => Assert.Equal(GgmlType.F32, t.Type));
        // The tensors are packed to the end of the file.
        Assert.Equal(file.FileLength, file.Tensors.Max(t => file.GetFileOffset(t) + t.ByteSize));
        var norm = file.ReadTensorValues(file.FindTensor("output_norm.weight")!);
        Assert.All(norm, v => Assert.True(float.IsFinite(v)));
    }

    [SkippableFact]
    public void Phi3_vocab_only_file_has_no_tensors_and_a_chat_template()
    {
        var path = SharedAssets.File("models", "ggml-vocab-phi-3.gguf");
        Skip.If(path is null, SharedAssets.MissingReason);

        var file = GgufFile.Read(path);

        Assert.Equal("phi3", file.Architecture);
        Assert.Empty(file.Tensors);
        Assert.Contains("<|assistant|>", file.ChatTemplate, StringComparison.Ordinal);
        Assert.Equal(32064, file.Metadata["tokenizer.ggml.tokens"].Count);
    }

    [SkippableFact]
    public void Llama2_tiny_random_is_f16_with_the_32k_vocabulary()
    {
        var path = SharedAssets.File("models", "llama-2-tiny-random.gguf");
        Skip.If(path is null, SharedAssets.MissingReason);

        var file = GgufFile.Read(path);

        Assert.Equal(4096, file.ContextLength);
        Assert.Equal(32000, file.Metadata["tokenizer.ggml.tokens"].Count);
        Assert.Equal(GgmlType.F16, file.FindTensor("blk.0.attn_q.weight")!.Type);
    }
}

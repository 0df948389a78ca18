using AbstractEndpoint.Gguf.Synthetic;

namespace AbstractEndpoint.Gguf.Tests;

public sealed class SyntheticBertModelTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(BertPooling.Mean, 1u)]
    [InlineData(BertPooling.Cls, 2u)]
    public void A_bert_model_has_the_keys_and_tensors_llama_cpp_s_bert_loader_reads(BertPooling pooling, uint poolingType)
    {
        var path = _directory.File("bert.gguf");
        var size = SyntheticBertModel.Write(
            path, new SyntheticModelOptions { Shape = SyntheticModelShape.Tiny, TensorType = GgmlType.F32, ContextLength = 512 }, pooling);

        var file = GgufFile.Read(path);
        var m = file.Metadata;
        var vocabulary = BuiltInVocabulary.Create().TokenCount;
        Assert.Equal(new FileInfo(path).Length, size);
        Assert.Equal("bert", file.Architecture);
        Assert.Equal(poolingType, m["bert.pooling_type"].AsUInt32());
        Assert.False(m["bert.attention.causal"].AsBool());
        Assert.Equal(2u, m["tokenizer.ggml.token_type_count"].AsUInt32());
        Assert.Equal(512u, m["bert.context_length"].AsUInt32());
        Assert.Equal(GgufValueType.Float32, m["bert.attention.layer_norm_epsilon"].Type);
        var tensors = file.Tensors.ToDictionary(t => t.Name, t => t.Dimensions.ToArray());
        Assert.Equal([64L, vocabulary], tensors["token_embd.weight"]);
        Assert.Equal([64L, 2], tensors["token_types.weight"]);
        Assert.Equal([64L, 512], tensors["position_embd.weight"]);
        Assert.Equal([64L], tensors["token_embd_norm.bias"]);
        foreach (var name in new[] { "attn_q", "attn_k", "attn_v", "attn_output" })
        {
            Assert.Equal([64L, 64], tensors[$"blk.1.{name}.weight"]);
            Assert.Equal([64L], tensors[$"blk.1.{name}.bias"]);
        }

        Assert.Equal([64L, 128], tensors["blk.1.ffn_up.weight"]);
        Assert.Equal([128L, 64], tensors["blk.1.ffn_down.weight"]);
        Assert.Contains("blk.1.attn_output_norm.bias", tensors.Keys);
        Assert.Contains("blk.1.layer_output_norm.weight", tensors.Keys);
        Assert.DoesNotContain("output.weight", tensors.Keys);
    }
}

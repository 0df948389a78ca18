using System.Security.Cryptography;
using AbstractEndpoint.Gguf.Synthetic;
using AbstractEndpoint.TestSupport;

namespace AbstractEndpoint.Gguf.Tests;

public sealed class SyntheticModelTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Tiny_model_has_every_llama_key_with_the_types_llama_cpp_requires()
    {
        var path = _directory.File("tiny.gguf");
        var summary = SyntheticModel.Write(path, new SyntheticModelOptions
        {
            Shape = SyntheticModelShape.Tiny,
            ChatTemplate = ChatTemplates.ChatMl,
        });

        var file = GgufFile.Read(path);
        var m = file.Metadata;

        Assert.Equal(new FileInfo(path).Length, summary.FileSize);
        Assert.Equal("llama", file.Architecture);
        Assert.Equal("synthetic-tiny", file.Name);
        Assert.Equal(ChatTemplates.ChatMl, file.ChatTemplate);
        Assert.Equal(2048, file.ContextLength);
        Assert.Equal(7u, m[GgufKeys.FileType].AsUInt32());
        foreach (var (key, expected) in new (string, uint)[]
        {
            ("llama.context_length", 2048), ("llama.embedding_length", 64), ("llama.block_count", 2),
            ("llama.feed_forward_length", 128), ("llama.attention.head_count", 4),
            ("llama.attention.head_count_kv", 2), ("llama.rope.dimension_count", 16),
            ("llama.vocab_size", (uint)BuiltInVocabulary.Create().TokenCount),
        })
        {
            Assert.Equal(GgufValueType.UInt32, m[key].Type);
            Assert.Equal(expected, m[key].AsUInt32());
        }

        Assert.Equal(GgufValueType.Float32, m["llama.rope.freq_base"].Type);
        Assert.Equal(GgufValueType.Float32, m["llama.attention.layer_norm_rms_epsilon"].Type);
        Assert.Equal(summary.VocabularySize, m[GgufKeys.TokenizerTokens].Count);
    }

    [Fact]
    public void Tensors_have_llama_cpp_names_dimension_order_and_types()
    {
        var shape = new SyntheticModelShape("custom", 96, 3, 6, 2, 160, 512);
        var path = _directory.File("custom.gguf");
        var summary = SyntheticModel.Write(path, new SyntheticModelOptions { Shape = shape, TensorType = GgmlType.Q8_0 });
        var file = GgufFile.Read(path);
        var vocabulary = summary.VocabularySize;

        Assert.Equal(2 + 1 + (3 * 9), file.Tensors.Count);
        Assert.Equal(summary.ParameterCount, file.Tensors.Sum(t => t.ElementCount));
        AssertTensor(file, "token_embd.weight", GgmlType.Q8_0, 96, vocabulary);
        AssertTensor(file, "output.weight", GgmlType.Q8_0, 96, vocabulary);
        AssertTensor(file, "output_norm.weight", GgmlType.F32, 96);
        for (var block = 0; block < 3; block++)
        {
            AssertTensor(file, $"blk.{block}.attn_norm.weight", GgmlType.F32, 96);
            AssertTensor(file, $"blk.{block}.attn_q.weight", GgmlType.Q8_0, 96, 96);
            AssertTensor(file, $"blk.{block}.attn_k.weight", GgmlType.Q8_0, 96, 32); // 2 KV heads x 16
            AssertTensor(file, $"blk.{block}.attn_v.weight", GgmlType.Q8_0, 96, 32);
            AssertTensor(file, $"blk.{block}.attn_output.weight", GgmlType.Q8_0, 96, 96);
            AssertTensor(file, $"blk.{block}.ffn_norm.weight", GgmlType.F32, 96);
            AssertTensor(file, $"blk.{block}.ffn_gate.weight", GgmlType.Q8_0, 96, 160);
            AssertTensor(file, $"blk.{block}.ffn_up.weight", GgmlType.Q8_0, 96, 160);
            AssertTensor(file, $"blk.{block}.ffn_down.weight", GgmlType.Q8_0, 160, 96);
        }
    }

    [Fact]
    public void Weights_are_seeded_finite_and_scaled_by_fan_in()
    {
        var a = _directory.File("a.gguf");
        var b = _directory.File("b.gguf");
        var c = _directory.File("c.gguf");
        var options = new SyntheticModelOptions { Shape = SyntheticModelShape.Tiny, TensorType = GgmlType.F32, Seed = 1 };
        SyntheticModel.Write(a, options);
        SyntheticModel.Write(b, options);
        SyntheticModel.Write(c, new SyntheticModelOptions { Shape = SyntheticModelShape.Tiny, TensorType = GgmlType.F32, Seed = 2 });

        Assert.Equal(Hash(a), Hash(b));
        Assert.NotEqual(Hash(a), Hash(c));

        var file = GgufFile.Read(a);
        var down = file.ReadTensorValues(file.FindTensor("blk.1.ffn_down.weight")!);
        var std = Math.Sqrt(down.Average(v => (double)v * v));
        Assert.InRange(std, 0.8 / Math.Sqrt(128), 1.2 / Math.Sqrt(128)); // fan-in is n_ff = 128
        Assert.All(down, v => Assert.InRange(v, -MathF.Sqrt(3f / 128), MathF.Sqrt(3f / 128)));
        Assert.All(file.ReadTensorValues(file.FindTensor("output_norm.weight")!), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void Invalid_shapes_are_refused_before_writing()
    {
        var path = _directory.File("bad.gguf");

        Assert.Throws<ArgumentException>(() => SyntheticModel.Write(path, new SyntheticModelOptions
        {
            Shape = new SyntheticModelShape("odd-ff", 64, 1, 4, 2, 100, 128), // 100 is not a multiple of 32
        }));
        Assert.Throws<ArgumentException>(() => SyntheticModel.Write(path, new SyntheticModelOptions
        {
            Shape = new SyntheticModelShape("bad-gqa", 64, 1, 4, 3, 128, 128),
        }));
        Assert.Throws<ArgumentException>(() => SyntheticModelShape.FromPreset("gpt-5"));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Presets_have_the_published_shapes()
    {
        var qwen = SyntheticModelShape.FromPreset("Qwen2.5-0.5B");
        var tinyLlama = SyntheticModelShape.FromPreset("tinyllama-1.1b");

        Assert.Equal((896, 24, 14, 2, 4864, 64), (qwen.EmbeddingLength, qwen.BlockCount, qwen.HeadCount, qwen.HeadCountKv, qwen.FeedForwardLength, qwen.HeadDimension));
        Assert.Equal((2048, 22, 32, 4, 5632), (tinyLlama.EmbeddingLength, tinyLlama.BlockCount, tinyLlama.HeadCount, tinyLlama.HeadCountKv, tinyLlama.FeedForwardLength));
        Assert.InRange(qwen.ParameterCount(32000), 410_000_000, 420_000_000);
        Assert.InRange(tinyLlama.ParameterCount(32000), 1_090_000_000, 1_110_000_000);
    }

    [SkippableFact]
    public void Donor_vocabulary_is_copied_whole()
    {
        var donorPath = SharedAssets.File("models", "llama-2-tiny-random.gguf");
        Skip.If(donorPath is null, SharedAssets.MissingReason);
        var donor = GgufFile.Read(donorPath);
        var path = _directory.File("donor.gguf");

        SyntheticModel.Write(path, new SyntheticModelOptions
        {
            Shape = SyntheticModelShape.Tiny,
            Vocabulary = GgufVocabulary.FromModel(donor),
            ContextLength = 4096,
        });

        var file = GgufFile.Read(path);
        var donorTokenizer = donor.Metadata.Where(e => e.Key.StartsWith("tokenizer.", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(donorTokenizer);
        foreach (var entry in donorTokenizer)
        {
            Assert.Equal(entry.Value, file.Metadata[entry.Key]);
        }

        Assert.Equal(4096, file.ContextLength);
        Assert.Equal(32000u, file.Metadata["llama.vocab_size"].AsUInt32());
        Assert.Equal([64L, 32000L], file.FindTensor("token_embd.weight")!.Dimensions);
    }

    private static void AssertTensor(GgufFile file, string name, GgmlType type, params long[] dimensions)
    {
        var tensor = file.FindTensor(name);
        Assert.NotNull(tensor);
        Assert.Equal(type, tensor.Type);
        Assert.Equal(dimensions, tensor.Dimensions);
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}

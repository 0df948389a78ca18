namespace AbstractEndpoint.Gguf.Tests;

public sealed class GgufRoundTripTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static GgufValue[] EveryValueKind() =>
    [
        GgufValue.FromUInt8(200),
        GgufValue.FromInt8(-100),
        GgufValue.FromUInt16(60_000),
        GgufValue.FromInt16(-30_000),
        GgufValue.FromUInt32(4_000_000_000),
        GgufValue.FromInt32(-2_000_000_000),
        GgufValue.FromFloat32(3.25f),
        GgufValue.FromBool(true),
        GgufValue.FromBool(false),
        GgufValue.FromString("héllo ▁wörld <|im_end|>"),
        GgufValue.FromString(string.Empty),
        GgufValue.FromUInt64(ulong.MaxValue),
        GgufValue.FromInt64(long.MinValue),
        GgufValue.FromFloat64(-1e300),
        GgufValue.FromArray(new byte[] { 0, 1, 255 }),
        GgufValue.FromArray(new sbyte[] { -128, 0, 127 }),
        GgufValue.FromArray(new ushort[] { 1, 65535 }),
        GgufValue.FromArray(new short[] { -1, 32767 }),
        GgufValue.FromArray(new uint[] { 7, uint.MaxValue }),
        GgufValue.FromArray(new[] { -7, int.MaxValue }),
        GgufValue.FromArray(new[] { 0.5f, float.NegativeInfinity, float.NaN }),
        GgufValue.FromArray(new[] { true, false, true }),
        GgufValue.FromArray(new[] { "a", string.Empty, "▁the", "<0x0A>" }),
        GgufValue.FromArray(new ulong[] { 0, ulong.MaxValue }),
        GgufValue.FromArray(new[] { long.MinValue, 5L }),
        GgufValue.FromArray(new[] { Math.PI, double.Epsilon }),
        GgufValue.FromArray(Array.Empty<int>()),
        GgufValue.FromArray(new[] { GgufValue.FromArray(new[] { 1, 2 }), GgufValue.FromArray(new[] { "x" }) }),
    ];

    [Fact]
    public void Every_metadata_type_round_trips_in_order()
    {
        var values = EveryValueKind();
        var writer = new GgufWriter();
        for (var i = 0; i < values.Length; i++)
        {
            writer.AddMetadata($"test.value_{i:D2}", values[i]);
        }

        var path = _directory.File("kv.gguf");
        writer.WriteTo(path);
        var file = GgufFile.Read(path);

        Assert.Equal(3u, file.Version);
        Assert.Empty(file.Tensors);
        Assert.Equal(values.Length, file.Metadata.Count);
        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal($"test.value_{i:D2}", file.Metadata[i].Key);
            Assert.Equal(values[i].Type, file.Metadata[i].Value.Type);
            Assert.Equal(values[i].ElementType, file.Metadata[i].Value.ElementType);
            Assert.Equal(values[i], file.Metadata[i].Value);
        }
    }

    [Fact]
    public void Strings_longer_than_the_read_buffer_round_trip()
    {
        var template = string.Concat(Enumerable.Repeat("{{- 'ünïcode ▁ <|im_start|>' -}}\n", 8000)); // ~290 KB
        var path = _directory.File("long.gguf");
        new GgufWriter()
            .AddMetadata("before", GgufValue.FromUInt8(1))
            .AddMetadata(GgufKeys.ChatTemplate, GgufValue.FromString(template))
            .AddMetadata("words", GgufValue.FromArray(Enumerable.Range(0, 20_000).Select(i => $"w{i}").ToArray()))
            .AddMetadata("after", GgufValue.FromUInt8(2))
            .WriteTo(path);

        var file = GgufFile.Read(path);

        Assert.Equal(template, file.ChatTemplate);
        Assert.Equal("w19999", file.Metadata["words"].AsArray<string>()[^1]);
        Assert.Equal(2, file.Metadata["after"].AsInt32());
    }

    [Fact]
    public void Typed_accessors_read_back_the_values()
    {
        var path = _directory.File("typed.gguf");
        new GgufWriter()
            .AddMetadata("a.u32", GgufValue.FromUInt32(4_000_000_000))
            .AddMetadata("a.i8", GgufValue.FromInt8(-5))
            .AddMetadata("a.f32", GgufValue.FromFloat32(0.5f))
            .AddMetadata("a.s", GgufValue.FromString("text"))
            .AddMetadata("a.b", GgufValue.FromBool(true))
            .AddMetadata("a.strings", GgufValue.FromArray(new[] { "x", "y" }))
            .AddMetadata("a.floats", GgufValue.FromArray(new[] { 1f, 2f }))
            .WriteTo(path);

        var metadata = GgufFile.Read(path).Metadata;

        Assert.Equal(4_000_000_000L, metadata.GetInteger("a.u32"));
        Assert.Equal(4_000_000_000u, metadata["a.u32"].AsUInt32());
        Assert.Equal(-5, metadata["a.i8"].AsInt32());
        Assert.Equal(0.5, metadata.GetNumber("a.f32"));
        Assert.Equal("text", metadata.GetString("a.s"));
        Assert.True(metadata.GetBool("a.b"));
        Assert.Equal(["x", "y"], metadata["a.strings"].AsArray<string>());
        Assert.Equal([1f, 2f], metadata["a.floats"].AsArray<float>());
        Assert.Equal(2, metadata["a.floats"].Count);
        Assert.Null(metadata.GetString("missing"));
        Assert.Throws<InvalidCastException>(() => metadata["a.s"].AsInt64());
        Assert.Throws<OverflowException>(() => metadata["a.i8"].AsUInt64());
        Assert.Throws<KeyNotFoundException>(() => metadata["missing"]);
    }

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(256)]
    public void Tensor_infos_offsets_and_data_respect_the_alignment(int alignment)
    {
        var f32 = Enumerable.Range(0, 3 * 5).Select(i => i * 0.25f).ToArray();
        var f16 = Enumerable.Range(0, 7).Select(i => (float)i).ToArray();
        // Integers with 127 in every block: the Q8_0 scale is exactly 1, so these survive quantisation unchanged.
        var q8 = Enumerable.Range(0, 64 * 2).Select(i => i % 32 == 0 ? 127f : ((i * 37) % 255) - 127f).ToArray();
        var raw = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 };
        var writer = new GgufWriter();
        if (alignment != GgufFile.DefaultAlignment)
        {
            writer.AddMetadata(GgufKeys.Alignment, GgufValue.FromUInt32((uint)alignment));
        }

        writer
            .AddMetadata(GgufKeys.Architecture, GgufValue.FromString("test"))
            .AddTensor(GgufTensorSource.FromValues("first", [3, 5], GgmlType.F32, f32))
            .AddTensor(GgufTensorSource.FromValues("odd.f16", [7], GgmlType.F16, f16))
            .AddTensor(GgufTensorSource.FromValues("q", [64, 2, 1], GgmlType.Q8_0, q8))
            .AddTensor(GgufTensorSource.FromBytes("raw.i8", [2, 2, 2], GgmlType.I8, raw));
        var path = _directory.File($"aligned-{alignment}.gguf");
        var written = writer.WriteTo(path);

        var file = GgufFile.Read(path);

        Assert.Equal(new FileInfo(path).Length, written);
        Assert.Equal(alignment, file.Alignment);
        Assert.Equal(0, file.DataOffset % alignment);
        Assert.Equal(0, written % alignment);
        Assert.Equal(["first", "odd.f16", "q", "raw.i8"], file.Tensors.Select(t => t.Name));
        Assert.Equal([3L, 5L], file.Tensors[0].Dimensions);
        Assert.Equal([64L, 2L, 1L], file.Tensors[2].Dimensions);
        Assert.Equal(
            [GgmlType.F32, GgmlType.F16, GgmlType.Q8_0, GgmlType.I8],
            file.Tensors.Select(t => t.Type));
        Assert.Equal([60L, 14L, 136L, 8L], file.Tensors.Select(t => t.ByteSize));
        var expectedOffset = 0L;
        foreach (var tensor in file.Tensors)
        {
            Assert.Equal(expectedOffset, tensor.Offset);
            expectedOffset += (tensor.ByteSize + alignment - 1) / alignment * alignment;
        }

        Assert.Equal(f32, file.ReadTensorValues(file.Tensors[0]));
        Assert.Equal(f16, file.ReadTensorValues(file.Tensors[1]));
        Assert.Equal(q8, file.ReadTensorValues(file.FindTensor("q")!));
        Assert.Equal(raw, file.ReadTensorBytes(file.FindTensor("raw.i8")!));
    }

    [Fact]
    public void Writing_to_a_stream_matches_writing_to_a_file()
    {
        GgufWriter Build() => new GgufWriter()
            .AddMetadata("k", GgufValue.FromString("v"))
            .AddTensor(GgufTensorSource.FromRows("rows", [32, 3], GgmlType.Q8_0, (row, values) => values.Fill(127f * (row + 1))));
        var path = _directory.File("stream.gguf");
        Build().WriteTo(path);
        using var memory = new MemoryStream();

        Build().WriteTo(memory);

        Assert.Equal(File.ReadAllBytes(path), memory.ToArray());
        memory.Position = 0;
        var file = GgufFile.Read(memory);
        var bytes = file.ReadTensorBytes(memory, file.Tensors[0]);
        Assert.Equal(Enumerable.Repeat(254f, 32), DecodeRow(bytes, 1));
    }

    [Fact]
    public void Writer_rejects_inconsistent_input()
    {
        var writer = new GgufWriter().AddMetadata("k", GgufValue.FromUInt8(1));
        writer.AddTensor(GgufTensorSource.FromValues("t", [32], GgmlType.F32, new float[32]));

        Assert.Throws<ArgumentException>(() => writer.AddMetadata("k", GgufValue.FromUInt8(2)));
        Assert.Throws<ArgumentException>(() => writer.AddTensor(GgufTensorSource.FromValues("t", [1], GgmlType.F32, new float[1])));
        Assert.Throws<ArgumentException>(() => writer.AddMetadata(GgufKeys.Alignment, GgufValue.FromUInt32(48)));
        Assert.Throws<ArgumentException>(() => writer.AddMetadata(GgufKeys.Alignment, GgufValue.FromUInt64(64)));
        Assert.Throws<ArgumentException>(() => GgufTensorSource.FromValues("q", [33], GgmlType.Q8_0, new float[33]));
        Assert.Throws<ArgumentException>(() => GgufTensorSource.FromBytes("b", [4], GgmlType.F32, new byte[15]));
        Assert.Throws<ArgumentException>(() => GgufTensorSource.FromBytes(new string('x', 64), [1], GgmlType.I8, new byte[1]));

        var lying = new GgufWriter().AddTensor(
            GgufTensorSource.FromWriter("liar", [8], GgmlType.F32, stream => stream.Write(new byte[31])));
        var error = Assert.Throws<InvalidOperationException>(() => lying.WriteTo(_directory.File("liar.gguf")));
        Assert.Contains("liar", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_directory.File("liar.gguf")));
        Assert.Empty(Directory.GetFiles(_directory.Path));
    }

    [Fact]
    public void Set_and_remove_keep_the_order_of_other_keys()
    {
        var writer = new GgufWriter()
            .AddMetadata("a", GgufValue.FromUInt8(1))
            .AddMetadata("b", GgufValue.FromUInt8(2))
            .AddMetadata("c", GgufValue.FromUInt8(3));

        writer.SetMetadata("b", GgufValue.FromString("two"));
        writer.SetMetadata("d", GgufValue.FromUInt8(4));
        Assert.True(writer.RemoveMetadata("a"));
        Assert.False(writer.RemoveMetadata("zzz"));

        Assert.Equal(["b", "c", "d"], writer.Metadata.Select(e => e.Key));
        Assert.Equal("two", writer.Metadata[0].Value.AsString());
    }

    private static float[] DecodeRow(byte[] bytes, int row)
    {
        var values = new float[32];
        GgmlTensorCodec.Decode(GgmlType.Q8_0, bytes.AsSpan(row * GgmlTensorCodec.Q8_0BlockBytes), values);
        return values;
    }
}

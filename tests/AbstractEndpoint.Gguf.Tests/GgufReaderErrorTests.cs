using System.Buffers.Binary;

namespace AbstractEndpoint.Gguf.Tests;

public sealed class GgufReaderErrorTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("", "empty")]
    [InlineData("version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 123\n", "Git LFS pointer")]
    [InlineData("<!DOCTYPE html><html><body>Not found</body></html>", "HTML")]
    [InlineData("{\"error\": \"unauthorized\"}", "JSON")]
    [InlineData("just some text", "instead of the magic 'GGUF'")]
    [InlineData("GG", "is not a GGUF file")]
    public void A_file_that_is_not_gguf_is_rejected_with_a_clear_message(string content, string expected)
    {
        var path = _directory.File("model.gguf");
        File.WriteAllText(path, content);

        var error = Assert.Throws<GgufFormatException>(() => GgufFile.Read(path));

        Assert.Contains("is not a GGUF file", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.False(GgufFile.HasGgufMagic(path));
    }

    [Fact]
    public void A_legacy_ggjt_file_is_named_as_such()
    {
        var path = _directory.File("old.bin");
        File.WriteAllBytes(path, [.. "tjgg"u8, 3, 0, 0, 0]);

        var error = Assert.Throws<GgufFormatException>(() => GgufFile.Read(path));

        Assert.Contains("legacy GGML/GGJT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_file_is_rejected_wherever_it_is_cut()
    {
        var complete = WriteSample();
        var bytes = File.ReadAllBytes(complete);
        var header = GgufFile.Read(complete);
        // Cut in the counts, in a metadata string, in the tensor infos, and inside the last tensor's data.
        long[] cuts = [12, 40, header.DataOffset - 10, bytes.Length - 40];

        foreach (var cut in cuts)
        {
            var path = _directory.File($"cut-{cut}.gguf");
            File.WriteAllBytes(path, bytes[..(int)cut]);

            var error = Assert.Throws<GgufFormatException>(() => GgufFile.Read(path));

            Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
            Assert.NotNull(error.Offset);
        }
    }

    [Fact]
    public void Unsupported_versions_are_explained()
    {
        var bytes = File.ReadAllBytes(WriteSample());

        Assert.Contains("version 1 is not supported", ReadWithVersion(bytes, 1), StringComparison.Ordinal);
        Assert.Contains("version 4 is not supported", ReadWithVersion(bytes, 4), StringComparison.Ordinal);
        Assert.Contains("big-endian", ReadWithVersion(bytes, 0x03000000), StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_counts_and_types_fail_cleanly_without_huge_allocations()
    {
        var bytes = File.ReadAllBytes(WriteSample());
        var hugeCount = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(hugeCount.AsSpan(16), 1UL << 40); // metadata count
        var badType = (byte[])bytes.Clone();
        var firstKeyLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(24));
        BinaryPrimitives.WriteUInt32LittleEndian(badType.AsSpan(32 + firstKeyLength), 99);

        Assert.Contains("implausible", Read(hugeCount).Message, StringComparison.Ordinal);
        Assert.Contains("unknown metadata value type 99", Read(badType).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_alignment_and_misaligned_offsets_are_rejected()
    {
        // The writer refuses a bad alignment, so forge one: write 32, then patch the value to 48.
        var writer = new GgufWriter().AddMetadata(GgufKeys.Alignment, GgufValue.FromUInt32(32));
        var path = _directory.File("align.gguf");
        writer.WriteTo(path);
        var bytes = File.ReadAllBytes(path);
        var valueOffset = 24 + 8 + GgufKeys.Alignment.Length + 4;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(valueOffset), 48);

        Assert.Contains("power of two", Read(bytes).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_seekable_stream_is_parsed()
    {
        var bytes = File.ReadAllBytes(WriteSample());
        using var stream = new ForwardOnlyStream(bytes);

        var file = GgufFile.Read(stream);

        Assert.Equal("test", file.Architecture);
        Assert.Null(file.FileLength);
        Assert.Equal(2, file.Tensors.Count);
    }

    private string WriteSample()
    {
        var path = _directory.File("sample.gguf");
        if (!File.Exists(path))
        {
            new GgufWriter()
                .AddMetadata(GgufKeys.Architecture, GgufValue.FromString("test"))
                .AddMetadata("test.words", GgufValue.FromArray(new[] { "alpha", "beta", "gamma" }))
                .AddTensor(GgufTensorSource.FromValues("a", [8, 4], GgmlType.F32, new float[32]))
                .AddTensor(GgufTensorSource.FromValues("b", [64, 2], GgmlType.Q8_0, new float[128]))
                .WriteTo(path);
        }

        return path;
    }

    private string ReadWithVersion(byte[] bytes, uint version)
    {
        var patched = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(patched.AsSpan(4), version);
        return Read(patched).Message;
    }

    private GgufFormatException Read(byte[] bytes)
    {
        var path = _directory.File("patched.gguf");
        File.WriteAllBytes(path, bytes);
        return Assert.Throws<GgufFormatException>(() => GgufFile.Read(path));
    }

    /// <summary>A stream that can only be read forwards, like a network response.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) =>
            base.Read(buffer, offset, Math.Min(count, 7)); // short reads, as sockets do
    }
}

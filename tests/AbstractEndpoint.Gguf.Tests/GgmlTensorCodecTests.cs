using System.Buffers.Binary;

namespace AbstractEndpoint.Gguf.Tests;

public sealed class GgmlTensorCodecTests
{
    [Fact]
    public void Q8_0_block_is_an_fp16_scale_then_32_signed_quants_rounded_half_away_from_zero()
    {
        // amax 127 gives the exact scale 1.0 (fp16 0x3C00), so the quants are roundf(x) itself.
        var values = new float[32];
        values[0] = 127f;
        values[1] = -127f;
        values[2] = 2.5f;   // tie: away from zero -> 3 (banker's rounding would give 2)
        values[3] = -2.5f;  // -> -3
        values[4] = 0.5f;   // -> 1
        values[5] = -0.5f;  // -> -1
        values[6] = 1.49f;  // -> 1
        values[7] = -100.7f; // -> -101
        var block = new byte[34];

        GgmlTensorCodec.QuantizeQ8_0(values, block);

        Assert.Equal(0x3C00, BinaryPrimitives.ReadUInt16LittleEndian(block));
        var quants = block.AsSpan(2).ToArray().Select(b => (sbyte)b).ToArray();
        Assert.Equal(new sbyte[] { 127, -127, 3, -3, 1, -1, 1, -101 }, quants[..8]);
        Assert.All(quants[8..], q => Assert.Equal(0, q));
    }

    [Fact]
    public void Q8_0_scale_is_amax_over_127_as_fp16_and_quants_use_the_fp32_scale()
    {
        var values = new float[64];
        values[0] = 0.5f;   // amax of block 0: d = 0.5/127 = 0.0039370 -> fp16 0x1C08
        values[1] = -0.5f;
        values[2] = 0.1f;   // 0.1 * 254 = 25.4 -> 25
        values[3] = -0.25f + 0.001f; // -63.246 -> -63
        // block 1 stays all zero: d = 0 and every quant 0 (no division by zero)
        var blocks = new byte[68];

        GgmlTensorCodec.QuantizeQ8_0(values, blocks);

        Assert.Equal(0x1C08, BinaryPrimitives.ReadUInt16LittleEndian(blocks));
        Assert.Equal(new sbyte[] { 127, -127, 25, -63 }, blocks.AsSpan(2, 4).ToArray().Select(b => (sbyte)b));
        Assert.All(blocks.AsSpan(34).ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void Q8_0_round_trip_error_is_within_half_a_step()
    {
        var random = new Random(7);
        var values = Enumerable.Range(0, 32 * 50).Select(_ => (float)((random.NextDouble() * 2) - 1) * 3f).ToArray();
        var encoded = new byte[50 * 34];
        var decoded = new float[values.Length];

        GgmlTensorCodec.Encode(GgmlType.Q8_0, values, encoded);
        GgmlTensorCodec.Decode(GgmlType.Q8_0, encoded, decoded);

        for (var block = 0; block < 50; block++)
        {
            var amax = values.Skip(block * 32).Take(32).Max(MathF.Abs);
            var step = amax / 127f;
            for (var j = 0; j < 32; j++)
            {
                var i = (block * 32) + j;
                // Half a quantisation step, plus the fp16 rounding of the scale (relative 2^-11) times |q| <= 127.
                Assert.InRange(MathF.Abs(decoded[i] - values[i]), 0f, (step * 0.5f) + (amax * 0.001f));
            }
        }
    }

    [Fact]
    public void F16_uses_ieee_half_little_endian()
    {
        var encoded = new byte[8];

        GgmlTensorCodec.Encode(GgmlType.F16, [1f, -2f, 65504f, 0.1f], encoded);

        Assert.Equal(
            new ushort[] { 0x3C00, 0xC000, 0x7BFF, 0x2E66 },
            Enumerable.Range(0, 4).Select(i => BinaryPrimitives.ReadUInt16LittleEndian(encoded.AsSpan(i * 2))));
    }

    [Fact]
    public void Layout_sizes_match_ggml()
    {
        Assert.Equal(34, GgmlTypeLayout.Of(GgmlType.Q8_0).TypeSize);
        Assert.Equal(32, GgmlTypeLayout.Of(GgmlType.Q8_0).BlockSize);
        Assert.Equal(144, GgmlTypeLayout.Of(GgmlType.Q4_K).TypeSize);
        Assert.Equal(896L / 32 * 34 * 4864, GgmlTypeLayout.Of(GgmlType.Q8_0).TensorSize([896, 4864]));
        Assert.Null(GgmlTypeLayout.Find((GgmlType)4));
        Assert.Throws<ArgumentException>(() => GgmlTypeLayout.Of(GgmlType.Q8_0).RowSize(33));
        Assert.Throws<NotSupportedException>(() => GgmlTensorCodec.Encode(GgmlType.Q4_0, new float[32], new byte[18]));
    }
}

using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace AbstractEndpoint.Gguf;

/// <summary>
/// Converts float values to and from the ggml encodings this library writes: F32, F16 and Q8_0. All encodings are
/// little-endian, as GGUF requires.
/// </summary>
public static class GgmlTensorCodec
{
    /// <summary>Elements per Q8_0 block (QK8_0).</summary>
    public const int Q8_0BlockSize = 32;

    /// <summary>Bytes per Q8_0 block: an fp16 scale followed by 32 signed 8-bit quants (block_q8_0).</summary>
    public const int Q8_0BlockBytes = 2 + Q8_0BlockSize;

    /// <summary>True for the types <see cref="Encode"/> and <see cref="Decode"/> support.</summary>
    public static bool Supports(GgmlType type) => type is GgmlType.F32 or GgmlType.F16 or GgmlType.Q8_0;

    /// <summary>Encodes <paramref name="values"/> (a whole number of blocks) into <paramref name="destination"/>.</summary>
    public static void Encode(GgmlType type, ReadOnlySpan<float> values, Span<byte> destination)
    {
        var size = GgmlTypeLayout.Of(type).RowSize(values.Length);
        if (destination.Length < size)
        {
            throw new ArgumentException($"{size} bytes needed, {destination.Length} given", nameof(destination));
        }

        switch (type)
        {
            case GgmlType.F32:
                EncodeF32(values, destination);
                break;
            case GgmlType.F16:
                EncodeF16(values, destination);
                break;
            case GgmlType.Q8_0:
                QuantizeQ8_0(values, destination);
                break;
            default:
                throw new NotSupportedException($"encoding to {type} is not implemented (F32, F16 and Q8_0 are)");
        }
    }

    /// <summary>Decodes <paramref name="values"/>.Length elements from <paramref name="source"/>.</summary>
    public static void Decode(GgmlType type, ReadOnlySpan<byte> source, Span<float> values)
    {
        var size = GgmlTypeLayout.Of(type).RowSize(values.Length);
        if (source.Length < size)
        {
            throw new ArgumentException($"{size} bytes needed, {source.Length} given", nameof(source));
        }

        switch (type)
        {
            case GgmlType.F32:
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(i * 4)..]);
                }

                break;
            case GgmlType.F16:
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(source[(i * 2)..]);
                }

                break;
            case GgmlType.Q8_0:
                DequantizeQ8_0(source, values);
                break;
            default:
                throw new NotSupportedException($"decoding {type} is not implemented (F32, F16 and Q8_0 are)");
        }
    }

    /// <summary>
    /// ggml's reference Q8_0 quantisation (quantize_row_q8_0_ref): per block of 32, d = max|x| / 127 stored as fp16,
    /// q = roundf(x / d) with ties away from zero, computed with the fp32 d (not the rounded fp16 one).
    /// </summary>
    public static void QuantizeQ8_0(ReadOnlySpan<float> values, Span<byte> destination)
    {
        if (values.Length % Q8_0BlockSize != 0)
        {
            throw new ArgumentException($"Q8_0 needs a multiple of {Q8_0BlockSize} values", nameof(values));
        }

        var blocks = values.Length / Q8_0BlockSize;
        for (var b = 0; b < blocks; b++)
        {
            var block = values.Slice(b * Q8_0BlockSize, Q8_0BlockSize);
            var output = destination.Slice(b * Q8_0BlockBytes, Q8_0BlockBytes);
            var absoluteMax = 0f;
            foreach (var value in block)
            {
                absoluteMax = MathF.Max(absoluteMax, MathF.Abs(value));
            }

            var scale = absoluteMax / 127f;
            var inverseScale = scale != 0f ? 1f / scale : 0f;
            BinaryPrimitives.WriteHalfLittleEndian(output, (Half)scale);
            var quants = MemoryMarshal.Cast<byte, sbyte>(output[2..]);
            for (var j = 0; j < Q8_0BlockSize; j++)
            {
                quants[j] = (sbyte)MathF.Round(block[j] * inverseScale, MidpointRounding.AwayFromZero);
            }
        }
    }

    /// <summary>Q8_0 back to floats: x = q * d, with d the stored fp16 scale.</summary>
    public static void DequantizeQ8_0(ReadOnlySpan<byte> source, Span<float> values)
    {
        if (values.Length % Q8_0BlockSize != 0)
        {
            throw new ArgumentException($"Q8_0 holds a multiple of {Q8_0BlockSize} values", nameof(values));
        }

        var blocks = values.Length / Q8_0BlockSize;
        for (var b = 0; b < blocks; b++)
        {
            var input = source.Slice(b * Q8_0BlockBytes, Q8_0BlockBytes);
            var scale = (float)BinaryPrimitives.ReadHalfLittleEndian(input);
            var quants = MemoryMarshal.Cast<byte, sbyte>(input[2..]);
            for (var j = 0; j < Q8_0BlockSize; j++)
            {
                values[(b * Q8_0BlockSize) + j] = quants[j] * scale;
            }
        }
    }

    private static void EncodeF32(ReadOnlySpan<float> values, Span<byte> destination)
    {
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values).CopyTo(destination);
            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(destination[(i * 4)..], values[i]);
        }
    }

    private static void EncodeF16(ReadOnlySpan<float> values, Span<byte> destination)
    {
        // (Half) rounds to nearest even, like ggml's fp32 -> fp16 conversion.
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteHalfLittleEndian(destination[(i * 2)..], (Half)values[i]);
        }
    }
}

using System.Text;

namespace AbstractEndpoint.Gguf;

/// <summary>The byte encoding of metadata values (without the leading type tag), both directions.</summary>
internal static class GgufValueCodec
{
    // Deeper nesting than this is never produced by real tools and would only come from a corrupt file.
    private const int MaxArrayNesting = 8;

    public static bool IsKnown(GgufValueType type) => type <= GgufValueType.Float64;

    public static GgufValue Read(GgufStreamReader reader, GgufValueType type, int depth = 0) => type switch
    {
        GgufValueType.UInt8 => GgufValue.FromUInt8(reader.ReadByte()),
        GgufValueType.Int8 => GgufValue.FromInt8(unchecked((sbyte)reader.ReadByte())),
        GgufValueType.UInt16 => GgufValue.FromUInt16(reader.ReadUInt16()),
        GgufValueType.Int16 => GgufValue.FromInt16(unchecked((short)reader.ReadUInt16())),
        GgufValueType.UInt32 => GgufValue.FromUInt32(reader.ReadUInt32()),
        GgufValueType.Int32 => GgufValue.FromInt32(unchecked((int)reader.ReadUInt32())),
        GgufValueType.Float32 => GgufValue.FromFloat32(reader.ReadSingle()),
        GgufValueType.Bool => GgufValue.FromBool(reader.ReadByte() != 0),
        GgufValueType.String => GgufValue.FromString(reader.ReadString()),
        GgufValueType.UInt64 => GgufValue.FromUInt64(reader.ReadUInt64()),
        GgufValueType.Int64 => GgufValue.FromInt64(unchecked((long)reader.ReadUInt64())),
        GgufValueType.Float64 => GgufValue.FromFloat64(reader.ReadDouble()),
        GgufValueType.Array => ReadArray(reader, depth),
        _ => throw reader.Error($"unknown metadata value type {(uint)type}"),
    };

    public static void Write(BinaryWriter writer, GgufValue value)
    {
        switch (value.Payload)
        {
            case Array array:
                writer.Write((uint)value.ElementType!.Value);
                writer.Write((ulong)array.Length);
                WriteArrayElements(writer, value.ElementType.Value, array);
                break;
            case string text:
                WriteString(writer, text);
                break;
            default:
                WriteScalar(writer, value.Payload);
                break;
        }
    }

    public static void WriteString(BinaryWriter writer, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        writer.Write((ulong)bytes.Length);
        writer.Write(bytes);
    }

    /// <summary>The encoded payload of <paramref name="value"/> (used for exact equality).</summary>
    public static byte[] Encode(GgufValue value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            Write(writer, value);
        }

        return buffer.ToArray();
    }

    private static GgufValue ReadArray(GgufStreamReader reader, int depth)
    {
        if (depth >= MaxArrayNesting)
        {
            throw reader.Error($"arrays nested deeper than {MaxArrayNesting} levels");
        }

        var elementType = (GgufValueType)reader.ReadUInt32();
        if (!IsKnown(elementType))
        {
            throw reader.Error($"unknown array element type {(uint)elementType}");
        }

        var countOffset = reader.Position;
        var count = reader.ReadUInt64();
        reader.RequireAvailable(count, MinimumEncodedSize(elementType), "array", countOffset);
        var n = (int)count;
        Array values = elementType switch
        {
            GgufValueType.UInt8 => Fill(new byte[n], reader.ReadByte),
            GgufValueType.Int8 => Fill(new sbyte[n], () => unchecked((sbyte)reader.ReadByte())),
            GgufValueType.UInt16 => Fill(new ushort[n], reader.ReadUInt16),
            GgufValueType.Int16 => Fill(new short[n], () => unchecked((short)reader.ReadUInt16())),
            GgufValueType.UInt32 => Fill(new uint[n], reader.ReadUInt32),
            GgufValueType.Int32 => Fill(new int[n], () => unchecked((int)reader.ReadUInt32())),
            GgufValueType.Float32 => Fill(new float[n], reader.ReadSingle),
            GgufValueType.Bool => Fill(new bool[n], () => reader.ReadByte() != 0),
            GgufValueType.String => Fill(new string[n], reader.ReadString),
            GgufValueType.UInt64 => Fill(new ulong[n], reader.ReadUInt64),
            GgufValueType.Int64 => Fill(new long[n], () => unchecked((long)reader.ReadUInt64())),
            GgufValueType.Float64 => Fill(new double[n], reader.ReadDouble),
            _ => Fill(new GgufValue[n], () => ReadArray(reader, depth + 1)),
        };
        return GgufValue.FromDecodedArray(elementType, values);
    }

    private static T[] Fill<T>(T[] values, Func<T> read)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = read();
        }

        return values;
    }

    private static int MinimumEncodedSize(GgufValueType type) => type switch
    {
        GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
        GgufValueType.UInt16 or GgufValueType.Int16 => 2,
        GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
        GgufValueType.String or GgufValueType.UInt64 or GgufValueType.Int64 or GgufValueType.Float64 => 8,
        _ => 12, // a nested array: element type + count
    };

    private static void WriteArrayElements(BinaryWriter writer, GgufValueType elementType, Array array)
    {
        if (elementType == GgufValueType.Array)
        {
            foreach (GgufValue nested in array)
            {
                Write(writer, nested);
            }

            return;
        }

        foreach (var element in array)
        {
            if (element is string text)
            {
                WriteString(writer, text);
            }
            else
            {
                WriteScalar(writer, element);
            }
        }
    }

    private static void WriteScalar(BinaryWriter writer, object scalar)
    {
        // BinaryWriter is little-endian on every platform, as GGUF requires.
        switch (scalar)
        {
            case byte v: writer.Write(v); break;
            case sbyte v: writer.Write(v); break;
            case ushort v: writer.Write(v); break;
            case short v: writer.Write(v); break;
            case uint v: writer.Write(v); break;
            case int v: writer.Write(v); break;
            case float v: writer.Write(v); break;
            case bool v: writer.Write((byte)(v ? 1 : 0)); break;
            case ulong v: writer.Write(v); break;
            case long v: writer.Write(v); break;
            case double v: writer.Write(v); break;
            default: throw new InvalidOperationException($"not a GGUF scalar: {scalar.GetType()}");
        }
    }
}

using System.Globalization;
using System.Text;

namespace AbstractEndpoint.Gguf;

/// <summary>
/// One GGUF metadata value: a scalar, a string, or an array (of scalars, strings or arrays). The type tag is kept
/// exactly, because llama.cpp checks it: <c>llama.context_length</c> must be a UInt32, not an Int32 or a UInt64.
/// </summary>
public sealed class GgufValue : IEquatable<GgufValue>
{
    // A boxed scalar, a string, a typed .NET array (byte[], string[], …) or GgufValue[] for arrays of arrays.
    private readonly object _payload;

    private GgufValue(GgufValueType type, GgufValueType? elementType, object payload)
    {
        Type = type;
        ElementType = elementType;
        _payload = payload;
    }

    /// <summary>The type tag written to the file.</summary>
    public GgufValueType Type { get; }

    /// <summary>For an array, the type of its elements; null for scalars and strings.</summary>
    public GgufValueType? ElementType { get; }

    /// <summary>True for arrays.</summary>
    public bool IsArray => Type == GgufValueType.Array;

    /// <summary>The number of elements of an array; throws for a scalar.</summary>
    public int Count => _payload is Array array
        ? array.Length
        : throw new InvalidOperationException($"a {Type} value is not an array");

    public static GgufValue FromUInt8(byte value) => new(GgufValueType.UInt8, null, value);

    public static GgufValue FromInt8(sbyte value) => new(GgufValueType.Int8, null, value);

    public static GgufValue FromUInt16(ushort value) => new(GgufValueType.UInt16, null, value);

    public static GgufValue FromInt16(short value) => new(GgufValueType.Int16, null, value);

    public static GgufValue FromUInt32(uint value) => new(GgufValueType.UInt32, null, value);

    public static GgufValue FromInt32(int value) => new(GgufValueType.Int32, null, value);

    public static GgufValue FromFloat32(float value) => new(GgufValueType.Float32, null, value);

    public static GgufValue FromBool(bool value) => new(GgufValueType.Bool, null, value);

    public static GgufValue FromString(string value) =>
        new(GgufValueType.String, null, value ?? throw new ArgumentNullException(nameof(value)));

    public static GgufValue FromUInt64(ulong value) => new(GgufValueType.UInt64, null, value);

    public static GgufValue FromInt64(long value) => new(GgufValueType.Int64, null, value);

    public static GgufValue FromFloat64(double value) => new(GgufValueType.Float64, null, value);

    // Arrays keep the caller's array (no copy): GGUF vocabularies hold hundreds of thousands of entries.
    public static GgufValue FromArray(byte[] values) => Array(GgufValueType.UInt8, values);

    public static GgufValue FromArray(sbyte[] values) => Array(GgufValueType.Int8, values);

    public static GgufValue FromArray(ushort[] values) => Array(GgufValueType.UInt16, values);

    public static GgufValue FromArray(short[] values) => Array(GgufValueType.Int16, values);

    public static GgufValue FromArray(uint[] values) => Array(GgufValueType.UInt32, values);

    public static GgufValue FromArray(int[] values) => Array(GgufValueType.Int32, values);

    public static GgufValue FromArray(float[] values) => Array(GgufValueType.Float32, values);

    public static GgufValue FromArray(bool[] values) => Array(GgufValueType.Bool, values);

    public static GgufValue FromArray(ulong[] values) => Array(GgufValueType.UInt64, values);

    public static GgufValue FromArray(long[] values) => Array(GgufValueType.Int64, values);

    public static GgufValue FromArray(double[] values) => Array(GgufValueType.Float64, values);

    public static GgufValue FromArray(string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (System.Array.IndexOf(values, null) >= 0)
        {
            throw new ArgumentException("a string array cannot hold null", nameof(values));
        }

        return Array(GgufValueType.String, values);
    }

    /// <summary>An array whose elements are themselves arrays (allowed by the format, rarely used).</summary>
    public static GgufValue FromArray(GgufValue[] arrays)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        if (arrays.Any(item => item is null || !item.IsArray))
        {
            throw new ArgumentException("every element of an array of arrays must be an array", nameof(arrays));
        }

        return Array(GgufValueType.Array, arrays);
    }

    public string AsString() => _payload as string ?? throw WrongType(GgufValueType.String);

    public bool AsBool() => _payload is bool value ? value : throw WrongType(GgufValueType.Bool);

    /// <summary>Any integer value as Int64 (a UInt64 above Int64.MaxValue throws).</summary>
    public long AsInt64() => _payload switch
    {
        byte v => v,
        sbyte v => v,
        ushort v => v,
        short v => v,
        uint v => v,
        int v => v,
        ulong v => checked((long)v),
        long v => v,
        _ => throw WrongType("an integer"),
    };

    /// <summary>Any non-negative integer value as UInt64.</summary>
    public ulong AsUInt64() => _payload is ulong v ? v : checked((ulong)AsInt64());

    /// <summary>Any integer value that fits in Int32.</summary>
    public int AsInt32() => checked((int)AsInt64());

    /// <summary>Any non-negative integer value that fits in UInt32.</summary>
    public uint AsUInt32() => checked((uint)AsUInt64());

    /// <summary>Any numeric value (integer or float) as a double.</summary>
    public double AsDouble() => _payload switch
    {
        float v => v,
        double v => v,
        _ when Type is not (GgufValueType.Bool or GgufValueType.String or GgufValueType.Array) => AsInt64(),
        _ => throw WrongType("a number"),
    };

    /// <summary>
    /// The elements of an array as their .NET type: byte, sbyte, ushort, short, uint, int, float, bool, string, ulong,
    /// long, double, or <see cref="GgufValue"/> for arrays of arrays. The list is the stored array, not a copy.
    /// </summary>
    public IReadOnlyList<T> AsArray<T>() =>
        _payload as T[] ?? throw new InvalidCastException(
            $"the value is {Describe()}, not an array of {typeof(T).Name}");

    public bool Equals(GgufValue? other)
    {
        if (other is null)
        {
            return false;
        }

        if (ReferenceEquals(this, other))
        {
            return true;
        }

        // Comparing the encoded bytes is exact for every type, including NaN payloads and nested arrays.
        return Type == other.Type && ElementType == other.ElementType &&
               GgufValueCodec.Encode(this).AsSpan().SequenceEqual(GgufValueCodec.Encode(other));
    }

    public override bool Equals(object? obj) => Equals(obj as GgufValue);

    public override int GetHashCode() =>
        HashCode.Combine(Type, ElementType, _payload is Array array ? array.Length : _payload.GetHashCode());

    /// <summary>A short human-readable form; long strings and arrays are abbreviated.</summary>
    public override string ToString()
    {
        const int MaxElements = 8;
        const int MaxStringLength = 80;
        if (_payload is Array array)
        {
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"[{ElementType} x {array.Length}: ");
            for (var i = 0; i < Math.Min(array.Length, MaxElements); i++)
            {
                text.Append(i == 0 ? string.Empty : ", ").Append(FormatScalar(array.GetValue(i)!, MaxStringLength));
            }

            return text.Append(array.Length > MaxElements ? ", …]" : "]").ToString();
        }

        return FormatScalar(_payload, MaxStringLength);
    }

    internal object Payload => _payload;

    internal static GgufValue FromDecodedArray(GgufValueType elementType, Array values) => Array(elementType, values);

    private static GgufValue Array(GgufValueType elementType, Array values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new GgufValue(GgufValueType.Array, elementType, values);
    }

    private static string FormatScalar(object value, int maxStringLength) => value switch
    {
        string s => s.Length <= maxStringLength
            ? $"\"{s}\""
            : string.Create(CultureInfo.InvariantCulture, $"\"{s[..maxStringLength]}…\" ({s.Length} chars)"),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private string Describe() => IsArray ? $"an array of {ElementType}" : $"a {Type}";

    private InvalidCastException WrongType(GgufValueType expected) =>
        new($"the value is {Describe()}, not a {expected}");

    private InvalidCastException WrongType(string expected) => new($"the value is {Describe()}, not {expected}");
}

using System.Buffers.Binary;
using System.Text;

namespace AbstractEndpoint.Gguf;

/// <summary>
/// Little-endian primitive reads over a stream with its own buffer, tracking the absolute offset so that every
/// error names where it happened and what was being read (<see cref="Context"/>).
/// </summary>
internal sealed class GgufStreamReader
{
    private const int BufferSize = 1 << 16;

    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[BufferSize];
    private readonly long? _length;
    private long _bufferStart;
    private int _bufferPosition;
    private int _bufferLength;

    public GgufStreamReader(Stream stream, long startOffset, long? length)
    {
        _stream = stream;
        _bufferStart = startOffset;
        _length = length;
    }

    /// <summary>What is being read, for error messages (e.g. "metadata key #3").</summary>
    public string Context { get; set; } = "the header";

    /// <summary>The absolute offset of the next byte.</summary>
    public long Position => _bufferStart + _bufferPosition;

    /// <summary>Bytes left before the end of the stream, when its length is known.</summary>
    public long? Remaining => _length - Position;

    /// <summary>Up to <paramref name="count"/> next bytes without consuming them (fewer at the end of the stream).</summary>
    public ReadOnlySpan<byte> Peek(int count)
    {
        if (_bufferLength - _bufferPosition < count)
        {
            Refill(count, throwAtEnd: false);
        }

        return _buffer.AsSpan(_bufferPosition, Math.Min(count, _bufferLength - _bufferPosition));
    }

    public byte ReadByte() => Take(1)[0];

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public float ReadSingle() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    /// <summary>A GGUF string: a UInt64 byte length, then UTF-8 bytes (not NUL-terminated).</summary>
    public string ReadString()
    {
        var start = Position;
        var length = ReadUInt64();
        RequireAvailable(length, 1, "string", start);
        if (length <= BufferSize)
        {
            return Encoding.UTF8.GetString(Take((int)length));
        }

        var bytes = new byte[length];
        ReadExactly(bytes);
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>
    /// Fails early when a count read from the file cannot possibly fit in what is left of it, so a corrupt count
    /// gives a clear error instead of a huge allocation.
    /// </summary>
    public void RequireAvailable(ulong count, int minimumBytesEach, string what, long countOffset)
    {
        if (count > int.MaxValue)
        {
            throw Error($"{what} length {count} is implausible (corrupt file?)", countOffset);
        }

        if (Remaining is { } remaining && (decimal)count * minimumBytesEach > remaining)
        {
            throw Error(
                $"{what} claims {count} elements but only {remaining} bytes remain: the file is truncated or corrupt",
                countOffset);
        }
    }

    public GgufFormatException Error(string message, long? offset = null)
    {
        var at = offset ?? Position;
        return new GgufFormatException($"Invalid GGUF: {message} (while reading {Context}, at byte offset {at})", at);
    }

    private void ReadExactly(Span<byte> destination)
    {
        var fromBuffer = Math.Min(destination.Length, _bufferLength - _bufferPosition);
        _buffer.AsSpan(_bufferPosition, fromBuffer).CopyTo(destination);
        _bufferPosition += fromBuffer;
        var rest = destination[fromBuffer..];
        while (rest.Length > 0)
        {
            // Large reads bypass the buffer; the buffer restarts empty at the new position.
            var read = _stream.Read(rest);
            if (read == 0)
            {
                throw Truncated();
            }

            rest = rest[read..];
            _bufferStart += _bufferPosition + read;
            _bufferPosition = 0;
            _bufferLength = 0;
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (_bufferLength - _bufferPosition < count)
        {
            Refill(count, throwAtEnd: true);
        }

        var span = _buffer.AsSpan(_bufferPosition, count);
        _bufferPosition += count;
        return span;
    }

    private void Refill(int needed, bool throwAtEnd)
    {
        var kept = _bufferLength - _bufferPosition;
        _buffer.AsSpan(_bufferPosition, kept).CopyTo(_buffer);
        _bufferStart += _bufferPosition;
        _bufferPosition = 0;
        _bufferLength = kept;
        while (_bufferLength < needed)
        {
            var read = _stream.Read(_buffer, _bufferLength, _buffer.Length - _bufferLength);
            if (read == 0)
            {
                if (!throwAtEnd)
                {
                    return;
                }

                throw Truncated();
            }

            _bufferLength += read;
        }
    }

    private GgufFormatException Truncated() =>
        Error("unexpected end of file — the file is truncated (an incomplete download?)", _bufferStart + _bufferLength);
}

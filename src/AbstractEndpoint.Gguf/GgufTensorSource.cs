using System.Buffers;

namespace AbstractEndpoint.Gguf;

/// <summary>
/// A tensor to write: its name, shape and type, and how to produce its encoded bytes. The bytes are produced while
/// the file is written (streamed), so a model far larger than memory can be written.
/// </summary>
public sealed class GgufTensorSource
{
    private const int MaxNameBytes = 63; // GGML_MAX_NAME (64) including the terminating NUL
    private const int TargetBatchBytes = 4 << 20;

    private readonly Action<GgufTensorSource, Stream> _writeData;

    private GgufTensorSource(
        string name, IReadOnlyList<long> dimensions, GgmlType type, Action<GgufTensorSource, Stream> writeData)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(dimensions);
        if (System.Text.Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
        {
            throw new ArgumentException($"tensor name '{name}' is longer than {MaxNameBytes} bytes", nameof(name));
        }

        if (dimensions.Count is 0 or > 4 || dimensions.Any(dimension => dimension < 1))
        {
            throw new ArgumentException(
                $"tensor '{name}': 1 to 4 positive dimensions expected, got [{string.Join(", ", dimensions)}]",
                nameof(dimensions));
        }

        Name = name;
        Dimensions = [.. dimensions];
        Type = type;
        ByteSize = GgmlTypeLayout.Of(type).TensorSize(Dimensions);
        _writeData = writeData;
    }

    public string Name { get; }

    /// <summary>ggml order: the row length (ne0) first.</summary>
    public IReadOnlyList<long> Dimensions { get; }

    public GgmlType Type { get; }

    /// <summary>The encoded size in bytes (without alignment padding).</summary>
    public long ByteSize { get; }

    public long ElementCount => Dimensions.Aggregate(1L, (product, dimension) => product * dimension);

    /// <summary>Already-encoded bytes, written as they are.</summary>
    public static GgufTensorSource FromBytes(
        string name, IReadOnlyList<long> dimensions, GgmlType type, ReadOnlyMemory<byte> data)
    {
        var source = new GgufTensorSource(name, dimensions, type, (_, destination) => destination.Write(data.Span));
        return data.Length == source.ByteSize
            ? source
            : throw new ArgumentException(
                $"tensor '{name}' needs {source.ByteSize} bytes of {type}, {data.Length} given", nameof(data));
    }

    /// <summary>Float values (ggml element order), encoded to <paramref name="type"/> while writing.</summary>
    public static GgufTensorSource FromValues(
        string name, IReadOnlyList<long> dimensions, GgmlType type, ReadOnlyMemory<float> values)
    {
        RequireEncodable(type);
        var rowLength = dimensions is { Count: > 0 } ? dimensions[0] : 0;
        var source = FromRows(name, dimensions, type, (row, buffer) =>
            values.Span.Slice((int)(row * rowLength), (int)rowLength).CopyTo(buffer));
        return values.Length == source.ElementCount
            ? source
            : throw new ArgumentException(
                $"tensor '{name}' has {source.ElementCount} elements, {values.Length} values given", nameof(values));
    }

    /// <summary>
    /// Values produced row by row (a row is <c>Dimensions[0]</c> elements) and encoded to <paramref name="type"/> while
    /// writing. <paramref name="fillRow"/> receives the row index and a buffer to fill; it is called from several
    /// threads at once for different rows, so it must be thread-safe and depend only on the row index.
    /// </summary>
    public static GgufTensorSource FromRows(
        string name, IReadOnlyList<long> dimensions, GgmlType type, Action<long, Span<float>> fillRow)
    {
        RequireEncodable(type);
        ArgumentNullException.ThrowIfNull(fillRow);
        return new GgufTensorSource(name, dimensions, type, (self, destination) => WriteRows(self, fillRow, destination));
    }

    /// <summary>A byte range of an existing file, copied as is (used to copy tensors between GGUF files).</summary>
    public static GgufTensorSource FromFileRange(
        string name, IReadOnlyList<long> dimensions, GgmlType type, string path, long offset)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new GgufTensorSource(name, dimensions, type, (self, destination) =>
        {
            using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            input.Seek(offset, SeekOrigin.Begin);
            CopyExactly(input, destination, self.ByteSize, name);
        });
    }

    /// <summary>A callback that writes exactly <see cref="ByteSize"/> encoded bytes (checked by the writer).</summary>
    public static GgufTensorSource FromWriter(
        string name, IReadOnlyList<long> dimensions, GgmlType type, Action<Stream> writeData)
    {
        ArgumentNullException.ThrowIfNull(writeData);
        return new GgufTensorSource(name, dimensions, type, (_, destination) => writeData(destination));
    }

    internal void WriteData(Stream destination) => _writeData(this, destination);

    private static void RequireEncodable(GgmlType type)
    {
        if (!GgmlTensorCodec.Supports(type))
        {
            throw new NotSupportedException($"encoding to {type} is not implemented (F32, F16 and Q8_0 are)");
        }
    }

    private static void WriteRows(GgufTensorSource source, Action<long, Span<float>> fillRow, Stream destination)
    {
        var rowLength = (int)source.Dimensions[0];
        var layout = GgmlTypeLayout.Of(source.Type);
        var rowBytes = (int)layout.RowSize(rowLength);
        var rowCount = source.ElementCount / rowLength;
        var rowsPerBatch = (int)Math.Clamp(TargetBatchBytes / rowBytes, 1, rowCount);
        var batch = ArrayPool<byte>.Shared.Rent(rowsPerBatch * rowBytes);
        try
        {
            for (var first = 0L; first < rowCount; first += rowsPerBatch)
            {
                var rows = (int)Math.Min(rowsPerBatch, rowCount - first);
                var firstRow = first;
                // Rows are independent, so a batch is generated and encoded on all cores, then written in order.
                Parallel.For(
                    0,
                    rows,
                    () => new float[rowLength],
                    (i, _, values) =>
                    {
                        fillRow(firstRow + i, values);
                        GgmlTensorCodec.Encode(source.Type, values, batch.AsSpan(i * rowBytes, rowBytes));
                        return values;
                    },
                    _ => { });
                destination.Write(batch, 0, rows * rowBytes);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(batch);
        }
    }

    private static void CopyExactly(Stream input, Stream destination, long count, string name)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            while (count > 0)
            {
                var read = input.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
                if (read == 0)
                {
                    throw new EndOfStreamException($"the source file ends inside tensor '{name}'");
                }

                destination.Write(buffer, 0, read);
                count -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

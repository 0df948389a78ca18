using System.Text;

namespace AbstractEndpoint.Gguf;

/// <summary>
/// Builds a GGUF v3 file: ordered metadata, then tensors whose data is streamed to disk with the alignment and
/// padding llama.cpp expects (every tensor starts at a multiple of <see cref="Alignment"/> from the data section).
/// </summary>
public sealed class GgufWriter
{
    /// <summary>The GGUF version written.</summary>
    public const uint FormatVersion = 3;

    private readonly List<GgufMetadataEntry> _metadata = [];
    private readonly List<GgufTensorSource> _tensors = [];

    /// <summary>Metadata in the order it will be written.</summary>
    public IReadOnlyList<GgufMetadataEntry> Metadata => _metadata;

    /// <summary>Tensors in the order they will be written.</summary>
    public IReadOnlyList<GgufTensorSource> Tensors => _tensors;

    /// <summary>The data alignment: the <c>general.alignment</c> metadata value if one was added, otherwise 32.</summary>
    public int Alignment
    {
        get
        {
            var entry = _metadata.Find(e => e.Key == GgufKeys.Alignment);
            return entry is null ? GgufFile.DefaultAlignment : (int)entry.Value.AsUInt32();
        }
    }

    /// <summary>
    /// A writer pre-loaded with <paramref name="source"/>'s metadata and tensors (copied from its file as they are),
    /// ready for metadata changes and a rewrite.
    /// </summary>
    public static GgufWriter FromExisting(GgufFile source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var path = source.Path ?? throw new ArgumentException("the GGUF must have been read from a file", nameof(source));
        var writer = new GgufWriter();
        foreach (var entry in source.Metadata)
        {
            writer.AddMetadata(entry.Key, entry.Value);
        }

        foreach (var tensor in source.Tensors)
        {
            writer.AddTensor(GgufTensorSource.FromFileRange(
                tensor.Name, tensor.Dimensions, tensor.Type, path, source.GetFileOffset(tensor)));
        }

        return writer;
    }

    /// <summary>Appends a key; throws if it is already present.</summary>
    public GgufWriter AddMetadata(string key, GgufValue value)
    {
        ValidateEntry(key, value);
        if (IndexOf(key) >= 0)
        {
            throw new ArgumentException($"metadata key '{key}' was already added", nameof(key));
        }

        _metadata.Add(new GgufMetadataEntry(key, value));
        return this;
    }

    /// <summary>Replaces a key's value in place, or appends the key when it is new.</summary>
    public GgufWriter SetMetadata(string key, GgufValue value)
    {
        ValidateEntry(key, value);
        var index = IndexOf(key);
        if (index >= 0)
        {
            _metadata[index] = new GgufMetadataEntry(key, value);
        }
        else
        {
            _metadata.Add(new GgufMetadataEntry(key, value));
        }

        return this;
    }

    /// <summary>Removes a key; returns false when it was not present.</summary>
    public bool RemoveMetadata(string key)
    {
        var index = IndexOf(key);
        if (index < 0)
        {
            return false;
        }

        _metadata.RemoveAt(index);
        return true;
    }

    /// <summary>Appends a tensor; throws if the name is taken.</summary>
    public GgufWriter AddTensor(GgufTensorSource tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (_tensors.Exists(t => t.Name == tensor.Name))
        {
            throw new ArgumentException($"tensor '{tensor.Name}' was already added", nameof(tensor));
        }

        _tensors.Add(tensor);
        return this;
    }

    /// <summary>
    /// Writes the file to <paramref name="path"/> through a temporary file that is renamed at the end, so an
    /// interrupted write never leaves a file that looks complete. Returns the number of bytes written.
    /// </summary>
    public long WriteTo(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        var temporary = fullPath + ".partial";
        var header = EncodeHeader(out var tensorOffsets, out var totalSize);
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                BufferSize = 1 << 20,
                PreallocationSize = totalSize,
            };
            using (var stream = new FileStream(temporary, options))
            {
                WriteBody(stream, header, tensorOffsets);
            }

            File.Move(temporary, fullPath, overwrite: true);
            return totalSize;
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Writes the file to <paramref name="destination"/>; returns the number of bytes written.</summary>
    public long WriteTo(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var header = EncodeHeader(out var tensorOffsets, out var totalSize);
        WriteBody(destination, header, tensorOffsets);
        return totalSize;
    }

    private static void ValidateEntry(string key, GgufValue value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        if (key == GgufKeys.Alignment)
        {
            // llama.cpp insists on a UInt32 power of two here; catch it before writing an unloadable file.
            var alignment = value.Type == GgufValueType.UInt32 ? value.AsUInt32() : 0;
            if (alignment == 0 || (alignment & (alignment - 1)) != 0)
            {
                throw new ArgumentException($"'{GgufKeys.Alignment}' must be a UInt32 power of two", nameof(value));
            }
        }
    }

    private int IndexOf(string key) => _metadata.FindIndex(entry => entry.Key == key);

    /// <summary>Encodes everything before the data section, padded; computes every tensor's data offset.</summary>
    private byte[] EncodeHeader(out long[] tensorOffsets, out long totalSize)
    {
        var alignment = Alignment;
        tensorOffsets = new long[_tensors.Count];
        var dataSize = 0L;
        for (var i = 0; i < _tensors.Count; i++)
        {
            tensorOffsets[i] = dataSize;
            dataSize += AlignUp(_tensors[i].ByteSize, alignment);
        }

        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write("GGUF"u8);
            writer.Write(FormatVersion);
            writer.Write((ulong)_tensors.Count);
            writer.Write((ulong)_metadata.Count);
            foreach (var entry in _metadata)
            {
                GgufValueCodec.WriteString(writer, entry.Key);
                writer.Write((uint)entry.Value.Type);
                GgufValueCodec.Write(writer, entry.Value);
            }

            for (var i = 0; i < _tensors.Count; i++)
            {
                var tensor = _tensors[i];
                GgufValueCodec.WriteString(writer, tensor.Name);
                writer.Write((uint)tensor.Dimensions.Count);
                foreach (var dimension in tensor.Dimensions)
                {
                    writer.Write((ulong)dimension);
                }

                writer.Write((uint)tensor.Type);
                writer.Write((ulong)tensorOffsets[i]);
            }

            writer.Write(new byte[AlignUp(buffer.Length, alignment) - buffer.Length]);
        }

        totalSize = buffer.Length + dataSize;
        return buffer.ToArray();
    }

    private void WriteBody(Stream destination, byte[] header, long[] tensorOffsets)
    {
        var alignment = Alignment;
        destination.Write(header);
        var counter = new CountingWriteStream(destination);
        for (var i = 0; i < _tensors.Count; i++)
        {
            var tensor = _tensors[i];
            var before = counter.BytesWritten;
            tensor.WriteData(counter);
            var written = counter.BytesWritten - before;
            if (written != tensor.ByteSize)
            {
                throw new InvalidOperationException(
                    $"tensor '{tensor.Name}' produced {written} bytes; its shape and type need {tensor.ByteSize}");
            }

            // Padding after every tensor, the last included, keeps the file length a multiple of the alignment.
            counter.Write(new byte[AlignUp(tensor.ByteSize, alignment) - tensor.ByteSize]);
            if (i + 1 < _tensors.Count && counter.BytesWritten != tensorOffsets[i + 1])
            {
                throw new InvalidOperationException("internal error: tensor data offsets diverged from the header");
            }
        }

        destination.Flush();
    }

    private static long AlignUp(long offset, int alignment) => GgufHeaderParser.AlignUp(offset, alignment);
}

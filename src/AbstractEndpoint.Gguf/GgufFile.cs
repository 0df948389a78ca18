namespace AbstractEndpoint.Gguf;

/// <summary>
/// A parsed GGUF header: version, metadata, tensor infos, alignment and where tensor data starts. Reading parses
/// the header only; tensor data is read on request (<see cref="ReadTensorBytes(GgufTensorInfo)"/>).
/// </summary>
public sealed class GgufFile
{
    /// <summary>The alignment of tensor data when <c>general.alignment</c> is absent.</summary>
    public const int DefaultAlignment = 32;

    private readonly Dictionary<string, GgufTensorInfo> _tensorsByName;

    internal GgufFile(
        uint version,
        GgufMetadata metadata,
        IReadOnlyList<GgufTensorInfo> tensors,
        int alignment,
        long dataOffset,
        long? fileLength,
        string? path)
    {
        Version = version;
        Metadata = metadata;
        Tensors = tensors;
        Alignment = alignment;
        DataOffset = dataOffset;
        FileLength = fileLength;
        Path = path;
        _tensorsByName = tensors.ToDictionary(tensor => tensor.Name, StringComparer.Ordinal);
    }

    /// <summary>The GGUF version (2 or 3).</summary>
    public uint Version { get; }

    public GgufMetadata Metadata { get; }

    /// <summary>Tensor infos in header order.</summary>
    public IReadOnlyList<GgufTensorInfo> Tensors { get; }

    /// <summary>The tensor data alignment: <c>general.alignment</c>, or 32.</summary>
    public int Alignment { get; }

    /// <summary>The offset of the data section from the start of the file; tensor offsets are relative to it.</summary>
    public long DataOffset { get; }

    /// <summary>The file length, when it was read from a seekable source.</summary>
    public long? FileLength { get; }

    /// <summary>The path it was read from, or null when it was read from a stream.</summary>
    public string? Path { get; }

    /// <summary><c>general.architecture</c>, e.g. "llama", or null.</summary>
    public string? Architecture => Metadata.GetString(GgufKeys.Architecture);

    /// <summary><c>general.name</c>, or null.</summary>
    public string? Name => Metadata.GetString(GgufKeys.Name);

    /// <summary>The training context length (<c>{architecture}.context_length</c>), or null.</summary>
    public long? ContextLength => Architecture is { } architecture
        ? Metadata.GetInteger(GgufKeys.ContextLength(architecture))
        : null;

    /// <summary>The model's own Jinja chat template (<c>tokenizer.chat_template</c>), or null.</summary>
    public string? ChatTemplate => Metadata.GetString(GgufKeys.ChatTemplate);

    /// <summary>Parses the header of the file at <paramref name="path"/>.</summary>
    /// <exception cref="GgufFormatException">The file is not GGUF, is truncated, or is inconsistent.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static GgufFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(
            path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        return GgufHeaderParser.Parse(stream, path);
    }

    /// <summary>
    /// Parses a header from <paramref name="stream"/>, which must be at the start of the GGUF content. Offsets are
    /// relative to that start. A non-seekable stream is accepted, but then truncation of tensor data is not checked.
    /// </summary>
    public static GgufFile Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return GgufHeaderParser.Parse(stream, path: null);
    }

    /// <summary>True when the file exists and starts with the GGUF magic (a cheap check; it does not parse).</summary>
    public static bool HasGgufMagic(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        using var stream = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        return stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && magic.SequenceEqual("GGUF"u8);
    }

    /// <summary>The tensor named <paramref name="name"/>, or null.</summary>
    public GgufTensorInfo? FindTensor(string name) => _tensorsByName.GetValueOrDefault(name);

    /// <summary>The absolute offset of a tensor's data in the file.</summary>
    public long GetFileOffset(GgufTensorInfo tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return DataOffset + tensor.Offset;
    }

    /// <summary>Reads a tensor's raw (encoded) bytes from the file this header was read from.</summary>
    public byte[] ReadTensorBytes(GgufTensorInfo tensor)
    {
        var path = Path ?? throw new InvalidOperationException(
            "this header was read from a stream; use ReadTensorBytes(Stream, GgufTensorInfo)");
        using var stream = File.OpenRead(path);
        return ReadTensorBytes(stream, tensor);
    }

    /// <summary>Reads a tensor's raw bytes from a seekable stream holding this file, with the file at offset 0.</summary>
    public byte[] ReadTensorBytes(Stream source, GgufTensorInfo tensor)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(tensor);
        var size = tensor.ByteSize;
        if (size > Array.MaxLength)
        {
            throw new NotSupportedException($"tensor '{tensor.Name}' ({size} bytes) is too large for one array");
        }

        var bytes = new byte[size];
        source.Seek(GetFileOffset(tensor), SeekOrigin.Begin);
        source.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Reads and decodes a tensor of type F32, F16 or Q8_0 into floats (ggml element order).</summary>
    public float[] ReadTensorValues(GgufTensorInfo tensor)
    {
        var bytes = ReadTensorBytes(tensor);
        var values = new float[tensor.ElementCount];
        GgmlTensorCodec.Decode(tensor.Type, bytes, values);
        return values;
    }
}

namespace AbstractEndpoint.Gguf;

/// <summary>
/// Parses a GGUF header (magic, version, metadata, tensor infos) and stops there: tensor data is never read, so
/// a multi-gigabyte model is inspected in milliseconds. Checks what llama.cpp's own loader checks, so a file this
/// accepts is structurally loadable.
/// </summary>
internal static class GgufHeaderParser
{
    private const uint Magic = 0x46554747; // "GGUF" read as a little-endian uint32
    private const uint OldestSupportedVersion = 2;
    private const uint NewestSupportedVersion = 3;
    private const int MaxDimensions = 4; // GGML_MAX_DIMS

    public static GgufFile Parse(Stream stream, string? path)
    {
        var start = stream.CanSeek ? stream.Position : 0;
        long? length = stream.CanSeek ? stream.Length - start : null;
        var reader = new GgufStreamReader(stream, 0, length);
        var source = path is null ? "The stream" : $"'{path}'";

        reader.Context = "the magic";
        var head = reader.Peek(64);
        if (head.Length < 4 || !head.StartsWith("GGUF"u8))
        {
            throw new GgufFormatException(
                $"{source} is not a GGUF file: {NonGgufContentDescriber.Describe(head)}", 0);
        }

        _ = reader.ReadUInt32();
        reader.Context = "the version";
        var version = reader.ReadUInt32();
        CheckVersion(reader, version);

        reader.Context = "the counts";
        var countsOffset = reader.Position;
        var tensorCount = reader.ReadUInt64();
        var metadataCount = reader.ReadUInt64();
        reader.RequireAvailable(metadataCount, 13, "the metadata", countsOffset + 8);
        reader.RequireAvailable(tensorCount, 32, "the tensor list", countsOffset);

        var metadata = ReadMetadata(reader, (int)metadataCount);
        var alignment = ReadAlignment(reader, metadata);
        var tensors = ReadTensorInfos(reader, (int)tensorCount, alignment);

        var dataOffset = AlignUp(reader.Position, alignment);
        if (length is { } fileLength)
        {
            CheckTensorsFit(reader, tensors, dataOffset, fileLength);
        }

        return new GgufFile(version, metadata, tensors, alignment, dataOffset, length, path);
    }

    internal static long AlignUp(long offset, int alignment) => (offset + alignment - 1) / alignment * alignment;

    private static void CheckVersion(GgufStreamReader reader, uint version)
    {
        if (version is >= OldestSupportedVersion and <= NewestSupportedVersion)
        {
            return;
        }

        var message = version switch
        {
            1 => "GGUF version 1 is not supported (it predates 64-bit counts); re-convert the model",
            _ when (version & 0xFFFF) == 0 && version != 0 =>
                $"the version field reads 0x{version:X8}: this looks like a big-endian GGUF, which is not supported",
            _ => $"GGUF version {version} is not supported (expected {OldestSupportedVersion} to {NewestSupportedVersion})",
        };
        throw reader.Error(message, 4);
    }

    private static GgufMetadata ReadMetadata(GgufStreamReader reader, int count)
    {
        var entries = new List<GgufMetadataEntry>(count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            reader.Context = $"metadata entry #{i}";
            var keyOffset = reader.Position;
            var key = reader.ReadString();
            if (!seen.Add(key))
            {
                throw reader.Error($"duplicate metadata key '{key}'", keyOffset);
            }

            reader.Context = $"metadata '{key}'";
            var type = (GgufValueType)reader.ReadUInt32();
            if (!GgufValueCodec.IsKnown(type))
            {
                throw reader.Error($"unknown metadata value type {(uint)type}", reader.Position - 4);
            }

            entries.Add(new GgufMetadataEntry(key, GgufValueCodec.Read(reader, type)));
        }

        return new GgufMetadata(entries);
    }

    private static int ReadAlignment(GgufStreamReader reader, GgufMetadata metadata)
    {
        if (!metadata.TryGetValue(GgufKeys.Alignment, out var value))
        {
            return GgufFile.DefaultAlignment;
        }

        reader.Context = $"metadata '{GgufKeys.Alignment}'";
        if (value.Type != GgufValueType.UInt32)
        {
            throw reader.Error($"'{GgufKeys.Alignment}' must be a UInt32, not {value.Type}");
        }

        var alignment = value.AsUInt32();
        if (alignment == 0 || alignment > 1 << 30 || (alignment & (alignment - 1)) != 0)
        {
            throw reader.Error($"'{GgufKeys.Alignment}' is {alignment}; it must be a power of two");
        }

        return (int)alignment;
    }

    private static List<GgufTensorInfo> ReadTensorInfos(GgufStreamReader reader, int count, int alignment)
    {
        var tensors = new List<GgufTensorInfo>(count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            reader.Context = $"tensor info #{i}";
            var infoOffset = reader.Position;
            var name = reader.ReadString();
            if (!names.Add(name))
            {
                throw reader.Error($"duplicate tensor name '{name}'", infoOffset);
            }

            reader.Context = $"tensor info '{name}'";
            var dimensionCount = reader.ReadUInt32();
            if (dimensionCount is 0 or > MaxDimensions)
            {
                throw reader.Error($"tensor '{name}' has {dimensionCount} dimensions (1 to {MaxDimensions} allowed)");
            }

            var dimensions = new long[dimensionCount];
            for (var d = 0; d < dimensions.Length; d++)
            {
                var dimension = reader.ReadUInt64();
                if (dimension > long.MaxValue)
                {
                    throw reader.Error($"tensor '{name}' has an impossible dimension {dimension}");
                }

                dimensions[d] = (long)dimension;
            }

            var type = (GgmlType)reader.ReadUInt32();
            var layout = GgmlTypeLayout.Find(type) ?? throw reader.Error(
                $"tensor '{name}' has unknown ggml type {(uint)type} (a newer quantisation than this reader knows?)",
                reader.Position - 4);
            if (dimensions[0] % layout.BlockSize != 0)
            {
                throw reader.Error(
                    $"tensor '{name}': row length {dimensions[0]} is not a multiple of the {type} block size {layout.BlockSize}");
            }

            var offset = reader.ReadUInt64();
            if (offset > long.MaxValue || (long)offset % alignment != 0)
            {
                throw reader.Error(
                    $"tensor '{name}' has data offset {offset}, which is not a multiple of the alignment {alignment}",
                    reader.Position - 8);
            }

            var tensor = new GgufTensorInfo(name, dimensions, type, (long)offset);
            try
            {
                _ = tensor.ByteSize;
            }
            catch (OverflowException)
            {
                throw reader.Error($"tensor '{name}' is impossibly large ({string.Join(" x ", dimensions)})");
            }

            tensors.Add(tensor);
        }

        return tensors;
    }

    private static void CheckTensorsFit(
        GgufStreamReader reader, List<GgufTensorInfo> tensors, long dataOffset, long fileLength)
    {
        reader.Context = "the tensor data";
        foreach (var tensor in tensors)
        {
            var end = dataOffset + tensor.Offset + tensor.ByteSize;
            if (end > fileLength)
            {
                throw reader.Error(
                    $"tensor '{tensor.Name}' ends at byte {end} but the file has only {fileLength} bytes: " +
                    "the file is truncated (an incomplete download?)",
                    fileLength);
            }
        }
    }
}

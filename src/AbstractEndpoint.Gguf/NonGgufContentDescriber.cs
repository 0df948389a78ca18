using System.Buffers.Binary;
using System.Text;

namespace AbstractEndpoint.Gguf;

/// <summary>
/// Names what a file that is not GGUF probably is, from its first bytes. The usual culprits in practice are Git LFS
/// pointers, HTML error pages saved as the model, and checkpoints in other formats.
/// </summary>
internal static class NonGgufContentDescriber
{
    public static string Describe(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty)
        {
            return "the file is empty";
        }

        if (head.StartsWith("version https://git-lfs"u8))
        {
            return "it is a Git LFS pointer, not the model itself (fetch the real file, e.g. with 'git lfs pull')";
        }

        var text = Encoding.ASCII.GetString(head.Length > 16 ? head[..16] : head).TrimStart();
        if (text.StartsWith('<'))
        {
            return "it looks like an HTML/XML page (a failed or redirected download?)";
        }

        if (text.StartsWith('{') || text.StartsWith('['))
        {
            return "it looks like JSON text";
        }

        if (head.StartsWith("PK\u0003\u0004"u8))
        {
            return "it is a ZIP archive (a PyTorch checkpoint?); convert the model to GGUF first";
        }

        if (head.Length >= 9 && head[8] == (byte)'{' && BinaryPrimitives.ReadUInt64LittleEndian(head) < 100_000_000)
        {
            return "it is a safetensors file; convert the model to GGUF first";
        }

        // Pre-GGUF llama.cpp formats wrote a uint32 magic in little-endian order, so 'ggjt' reads as "tjgg".
        if (head.StartsWith("tjgg"u8) || head.StartsWith("lmgg"u8) || head.StartsWith("fmgg"u8) ||
            head.StartsWith("algg"u8))
        {
            return "it is a legacy GGML/GGJT model (the format before GGUF); re-convert it to GGUF";
        }

        var shown = head.Length > 8 ? head[..8] : head;
        return $"it starts with bytes {Convert.ToHexString(shown)} instead of the magic 'GGUF' (47475546)";
    }
}

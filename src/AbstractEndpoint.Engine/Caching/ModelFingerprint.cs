using System.Security.Cryptography;

namespace AbstractEndpoint.Engine.Caching;

/// <summary>
/// Identifies the model file a saved KV state belongs to, cheaply enough for multi-gigabyte files: sha256 over the
/// file size, its first 16 MiB (the GGUF header with every hyper-parameter and the vocabulary, then the first
/// tensors) and its last 1 MiB. A state restored into another model would silently produce garbage, so saved
/// caches whose fingerprint differs are refused.
/// </summary>
public static class ModelFingerprint
{
    private const int HeadBytes = 16 << 20;
    private const int TailBytes = 1 << 20;

    public static string Compute(string modelPath)
    {
        using var file = File.OpenRead(modelPath);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(BitConverter.GetBytes(file.Length));
        var buffer = new byte[1 << 20];
        Hash(file, sha, buffer, Math.Min(HeadBytes, file.Length));
        if (file.Length > HeadBytes)
        {
            file.Seek(Math.Max(HeadBytes, file.Length - TailBytes), SeekOrigin.Begin);
            Hash(file, sha, buffer, file.Length - file.Position);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static void Hash(FileStream file, IncrementalHash sha, byte[] buffer, long count)
    {
        while (count > 0)
        {
            var read = file.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
            if (read == 0)
            {
                return;
            }

            sha.AppendData(buffer, 0, read);
            count -= read;
        }
    }
}

using System.Security.Cryptography;
using System.Text;

namespace AbstractEndpoint.TestSupport.LocalHub;

public static class TestData
{
    /// <summary>Deterministic pseudo-random content, distinct per seed.</summary>
    public static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>A 40-hex commit hash derived from a label.</summary>
    public static string Commit(string label) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(label)));

    /// <summary>Git's object id of a blob, which the hub reports as <c>blobId</c>.</summary>
    public static string GitBlobId(byte[] content)
    {
        var header = Encoding.ASCII.GetBytes($"blob {content.Length}\0");
        return Convert.ToHexStringLower(SHA1.HashData([.. header, .. content]));
    }
}

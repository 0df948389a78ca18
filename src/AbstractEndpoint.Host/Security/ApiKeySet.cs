using System.Security.Cryptography;
using System.Text;
using AbstractEndpoint.Host.Cli;
using AbstractEndpoint.Host.Options;

namespace AbstractEndpoint.Host.Security;

/// <summary>
/// The configured API keys, held only as SHA-256 hashes. A presented key is hashed too and compared with every stored
/// hash by <see cref="CryptographicOperations.FixedTimeEquals"/>: the hashes have one fixed length whatever the key's,
/// and the loop never stops early, so neither the time taken nor anything else tells how much of a key was right.
/// </summary>
internal sealed class ApiKeySet
{
    private readonly byte[][] _hashes;

    private ApiKeySet(IEnumerable<string> keys) =>
        _hashes = [.. keys.Select(Hash).DistinctBy(Convert.ToHexString)];

    /// <summary>No keys: the server is open, as before keys existed.</summary>
    public bool IsEmpty => _hashes.Length == 0;

    public int Count => _hashes.Length;

    /// <summary>Keys from <c>--api-key</c> (comma-separated) and <c>--api-key-file</c> (one a line, <c>#</c> comments).</summary>
    public static ApiKeySet From(EndpointOptions options)
    {
        var keys = new List<string>();
        if (options.ApiKey is { } list)
        {
            keys.AddRange(list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        }

        if (options.ApiKeyFile is { } path)
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"--api-key-file {path} cannot be read: {ex.Message}");
            }

            var fromFile = lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
            if (fromFile.Count == 0)
            {
                // An empty file would silently leave the server open, the opposite of what asking for keys means.
                throw new UsageException($"--api-key-file {path} holds no key.");
            }

            keys.AddRange(fromFile);
        }

        return new ApiKeySet(keys);
    }

    /// <summary>
    /// Whether <paramref name="presented"/> is one of the keys; <paramref name="keyId"/> is then its short public id
    /// (the first 8 hex digits of its hash), for logs and cache namespaces — never the key itself.
    /// </summary>
    public bool TryMatch(string presented, out string keyId)
    {
        var hash = Hash(presented);
        var matched = -1;
        for (var i = 0; i < _hashes.Length; i++)
        {
            // No early exit: every stored hash is compared whatever the outcome.
            if (CryptographicOperations.FixedTimeEquals(hash, _hashes[i]))
            {
                matched = i;
            }
        }

        keyId = matched >= 0 ? IdOf(_hashes[matched]) : "";
        return matched >= 0;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static string IdOf(byte[] hash) => Convert.ToHexStringLower(hash, 0, 4);
}

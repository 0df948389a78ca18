using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AbstractEndpoint.Engine.Caching;

/// <summary>
/// Named caches on disk (<c>--prompt-cache-dir</c>): one file per key, a JSON header line (<see cref="SavedCache"/>)
/// followed by llama.cpp's per-sequence KV state. Files are written whole to a temporary name and renamed, so a
/// crash never leaves a half-written cache behind.
/// </summary>
public sealed class PromptCacheDirectory
{
    private static readonly byte[] Magic = "ACPC1\n"u8.ToArray();
    private const string DefaultKeyFile = "default_key";
    private readonly string _path;

    public PromptCacheDirectory(string path)
    {
        _path = Path.GetFullPath(path);
        Directory.CreateDirectory(_path);
    }

    public void Save(SavedCache cache, byte[] state)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(state);
        var target = FileOf(cache.Key);
        var temporary = target + ".tmp";
        using (var file = File.Create(temporary))
        {
            file.Write(Magic);
            file.Write(JsonSerializer.SerializeToUtf8Bytes(cache));
            file.WriteByte((byte)'\n');
            file.Write(state);
        }

        File.Move(temporary, target, overwrite: true);
    }

    public void Delete(string key) => File.Delete(FileOf(key));

    public void SaveDefaultKey(string? key)
    {
        var path = Path.Combine(_path, DefaultKeyFile);
        if (key is null)
        {
            File.Delete(path);
        }
        else
        {
            File.WriteAllText(path, key);
        }
    }

    public string? LoadDefaultKey()
    {
        var path = Path.Combine(_path, DefaultKeyFile);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    /// <summary>Every readable saved cache, least recently used first; unreadable files are reported and skipped.</summary>
    public IReadOnlyList<(SavedCache Cache, byte[] State)> LoadAll(Action<string, string> skipped)
    {
        ArgumentNullException.ThrowIfNull(skipped);
        var loaded = new List<(SavedCache, byte[])>();
        foreach (var file in Directory.EnumerateFiles(_path, "*.cache"))
        {
            try
            {
                var bytes = File.ReadAllBytes(file);
                var headerEnd = Array.IndexOf(bytes, (byte)'\n', Magic.Length);
                if (!bytes.AsSpan().StartsWith(Magic) || headerEnd < 0)
                {
                    skipped(file, "not a saved prompt cache");
                    continue;
                }

                var header = JsonSerializer.Deserialize<SavedCache>(bytes.AsSpan(Magic.Length, headerEnd - Magic.Length));
                if (header is null)
                {
                    skipped(file, "empty header");
                    continue;
                }

                loaded.Add((header, bytes[(headerEnd + 1)..]));
            }
            catch (Exception ex) when (ex is JsonException or IOException)
            {
                skipped(file, ex.Message);
            }
        }

        return [.. loaded.OrderBy(entry => entry.Item1.LastUsedAt)];
    }

    private string FileOf(string key) =>
        Path.Combine(_path, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32] + ".cache");
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using AbstractEndpoint.Python;

namespace AbstractEndpoint.PromptCaching.Modules;

/// <summary>
/// AbstractCore's newest hierarchical key derivation, byte for byte, so keys prepared by either server name the same
/// prefixes:
/// <c>module_hash = sha256_hex(canonical_json({"v", "module_id", "system_prompt", "prompt", "messages", "tools",
/// "add_generation_prompt", "scope"}))</c>, <c>h0 = sha256_hex("acore-prompt-cache:" + version)</c> (with our
/// <see cref="PromptCacheThinkingFold"/> when <c>thinking</c> is set), <c>h_i = sha256_hex(h_(i-1) + module_hash_i)</c>,
/// <c>key_i = namespace + ":" + h_i[0:32]</c> (the previous contract kept 16 characters).
/// </summary>
public static class PromptCacheKeyDerivation
{
    public const string SeedPrefix = "acore-prompt-cache:";

    /// <summary>Hex characters of the chained hash kept in a key.</summary>
    public const int KeyHashLength = 32;

    /// <summary>What the previous contract kept: keys of that length were derived by older clients and servers.</summary>
    public const int LegacyKeyHashLength = 16;

    /// <summary>The JSON text the module hash is computed over (also handy when a key does not match).</summary>
    public static string CanonicalPayload(PromptCacheModule module, long version)
    {
        ArgumentNullException.ThrowIfNull(module);

        // Members written in code point order, which is what sort_keys=True yields for these names.
        var writer = new PythonJsonWriter(sortKeys: true, allowNan: true);
        writer.StartObject();
        writer.WritePropertyName("add_generation_prompt");
        writer.WriteBoolean(module.AddGenerationPrompt);
        writer.WritePropertyName("messages");
        WriteObjects(writer, module.Messages);
        writer.WritePropertyName("module_id");
        writer.WriteString(module.ModuleId);
        writer.WritePropertyName("prompt");
        writer.WriteString(module.Prompt);
        writer.WritePropertyName("scope");
        writer.WriteString(module.Scope == PromptCacheScope.Shared ? "shared" : "private");
        writer.WritePropertyName("system_prompt");
        writer.WriteString(module.SystemPrompt);
        writer.WritePropertyName("tools");
        WriteObjects(writer, module.Tools);
        writer.WritePropertyName("v");
        writer.WriteInteger(version);
        writer.EndObject();
        return writer.ToString();
    }

    /// <summary>SHA-256 (lowercase hex) of the module's canonical payload.</summary>
    public static string ModuleHash(PromptCacheModule module, long version) => Sha256Hex(CanonicalPayload(module, version));

    /// <summary>h0: the chain's starting value for a hash version, with the thinking fold's word when there is one.</summary>
    public static string Seed(long version, string? thinkingWord = null) =>
        Sha256Hex(SeedPrefix + version.ToString(CultureInfo.InvariantCulture) + (thinkingWord is null ? "" : ":thinking=" + thinkingWord));

    /// <summary>The next link: the hash of the previous link's hex followed by the module hash's hex.</summary>
    public static string Chain(string previousHash, string moduleHash) => Sha256Hex(previousHash + moduleHash);

    public static string CacheKey(string @namespace, string chainedHash)
    {
        ArgumentNullException.ThrowIfNull(chainedHash);
        return @namespace + ":" + chainedHash[..KeyHashLength];
    }

    /// <summary>
    /// One key per module, each naming the prefix that ends with it. The namespace is trimmed like the original's
    /// (Python whitespace) and must not be blank.
    /// </summary>
    public static IReadOnlyList<DerivedPromptCacheKey> Derive(
        string @namespace, IReadOnlyList<PromptCacheModule> modules, long version, string? thinkingWord = null)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        ArgumentNullException.ThrowIfNull(modules);
        var ns = PythonWhitespace.Strip(@namespace);
        if (ns.Length == 0)
        {
            throw new ArgumentException("The namespace must not be blank.", nameof(@namespace));
        }

        var derived = new List<DerivedPromptCacheKey>(modules.Count);
        var chained = Seed(version, thinkingWord);
        for (var i = 0; i < modules.Count; i++)
        {
            var moduleHash = ModuleHash(modules[i], version);
            chained = Chain(chained, moduleHash);
            derived.Add(new DerivedPromptCacheKey(i, modules[i], CacheKey(ns, chained), moduleHash));
        }

        return derived;
    }

    private static void WriteObjects(PythonJsonWriter writer, IReadOnlyList<JsonElement>? objects)
    {
        if (objects is null)
        {
            writer.WriteNull();
            return;
        }

        writer.StartArray();
        foreach (var item in objects)
        {
            writer.WriteElement(item);
        }

        writer.EndArray();
    }

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(PythonUtf8.Encode(text)));
}

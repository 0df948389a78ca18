using AbstractEndpoint.PromptCaching;
using AbstractEndpoint.PromptCaching.Manager;
using AbstractEndpoint.PromptCaching.Store;
using AbstractEndpoint.Python;

namespace AbstractEndpoint.Protocol.PromptCache;

/// <summary>
/// The control plane's success bodies (HTTP 200, application/json), byte for byte as the original sends them:
/// Starlette's <c>json.dumps(content, ensure_ascii=False, separators=(",", ":"))</c> of the route's dict, members in
/// the order the original builds them, raw UTF-8, Python's float repr.
/// </summary>
public static class PromptCacheResponseWriter
{
    /// <summary><c>{"supported":true,"ok":…}</c> for set, update, fork and clear.</summary>
    public static byte[] Ok(bool ok)
    {
        var writer = new PythonJsonWriter(sortKeys: false, allowNan: false);
        writer.StartObject();
        writer.WritePropertyName("supported");
        writer.WriteBoolean(true);
        writer.WritePropertyName("ok");
        writer.WriteBoolean(ok);
        writer.EndObject();
        return writer.ToUtf8Bytes();
    }

    /// <summary>
    /// <c>{"supported":true,"stats":{"entries","max_entries","default_ttl_s","default_key","keys","meta_by_key"}}</c>;
    /// like the original, <c>meta_by_key</c> is left out when no entry has meta.
    /// </summary>
    public static byte[] Stats(PromptCacheStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var writer = new PythonJsonWriter(sortKeys: false, allowNan: false);
        writer.StartObject();
        writer.WritePropertyName("supported");
        writer.WriteBoolean(true);
        writer.WritePropertyName("stats");
        writer.StartObject();
        writer.WritePropertyName("entries");
        writer.WriteInteger(stats.Entries);
        writer.WritePropertyName("max_entries");
        writer.WriteInteger(stats.MaxEntries);
        writer.WritePropertyName("default_ttl_s");
        if (stats.DefaultTtlSeconds is { } ttl)
        {
            // The original holds float(ttl): 60 prints as 60.0.
            writer.WriteFloat(ttl);
        }
        else
        {
            writer.WriteNull();
        }

        writer.WritePropertyName("default_key");
        writer.WriteString(stats.DefaultKey);
        writer.WritePropertyName("keys");
        writer.StartArray();
        foreach (var key in stats.Keys)
        {
            writer.WriteString(key);
        }

        writer.EndArray();
        if (stats.MetaByKey.Count > 0)
        {
            writer.WritePropertyName("meta_by_key");
            writer.StartObject();
            foreach (var (key, meta) in stats.MetaByKey)
            {
                writer.WritePropertyName(key);
                writer.WriteNode(meta);
            }

            writer.EndObject();
        }

        writer.EndObject();
        writer.EndObject();
        return writer.ToUtf8Bytes();
    }

    /// <summary>
    /// The prepare_modules body: <c>{"supported":true,"namespace","version","modules":[{"module_id","cache_key",
    /// "module_hash"}],"final_cache_key"}</c>, or the failure envelope with the original's error text.
    /// </summary>
    public static byte[] PrepareModules(PromptCachePrepareResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Error is not null)
        {
            return Unsupported(result.Error);
        }

        var writer = new PythonJsonWriter(sortKeys: false, allowNan: false);
        writer.StartObject();
        writer.WritePropertyName("supported");
        writer.WriteBoolean(true);
        writer.WritePropertyName("namespace");
        writer.WriteString(result.Namespace);
        writer.WritePropertyName("version");
        writer.WriteInteger(result.Version);
        writer.WritePropertyName("modules");
        writer.StartArray();
        foreach (var module in result.Modules)
        {
            writer.StartObject();
            writer.WritePropertyName("module_id");
            writer.WriteString(module.Module.ModuleId);
            writer.WritePropertyName("cache_key");
            writer.WriteString(module.CacheKey);
            writer.WritePropertyName("module_hash");
            writer.WriteString(module.ModuleHash);
            writer.EndObject();
        }

        writer.EndArray();
        writer.WritePropertyName("final_cache_key");
        writer.WriteString(result.FinalCacheKey);
        writer.EndObject();
        return writer.ToUtf8Bytes();
    }

    /// <summary>
    /// <c>{"supported":false,"error":…}</c>: what the original answers (HTTP 200) when caching is unavailable
    /// (see <see cref="PromptCacheMessages"/>) or when prepare_modules fails.
    /// </summary>
    public static byte[] Unsupported(string error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var writer = new PythonJsonWriter(sortKeys: false, allowNan: false);
        writer.StartObject();
        writer.WritePropertyName("supported");
        writer.WriteBoolean(false);
        writer.WritePropertyName("error");
        writer.WriteString(error);
        writer.EndObject();
        return writer.ToUtf8Bytes();
    }
}

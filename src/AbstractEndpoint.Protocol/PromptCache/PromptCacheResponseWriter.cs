using AbstractEndpoint.PromptCaching.Control;
using AbstractEndpoint.PromptCaching.Manager;
using AbstractEndpoint.PromptCaching.Store;
using AbstractEndpoint.Python;

namespace AbstractEndpoint.Protocol.PromptCache;

/// <summary>
/// The control plane's bodies (HTTP 200, application/json) in AbstractCore's newest envelope, byte for byte as
/// its endpoint sends them: Starlette's <c>json.dumps(content, ensure_ascii=False, separators=(",", ":"))</c> of the
/// route's dict, members in the order it builds them, raw UTF-8, Python's float repr. Every reply names its
/// <c>operation</c> (except a successful prepare_modules, as upstream) and carries the <c>capabilities</c> object.
/// </summary>
public static class PromptCacheResponseWriter
{
    /// <summary><c>GET /acore/prompt_cache/capabilities</c>: <c>{"supported","operation":"capabilities","capabilities"}</c>.</summary>
    public static byte[] Capabilities(PromptCacheCapabilities capabilities)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        var writer = NewWriter();
        writer.StartObject();
        writer.WritePropertyName("supported");
        writer.WriteBoolean(capabilities.Supported);
        WriteOperation(writer, PromptCacheOperations.Capabilities);
        WriteCapabilities(writer, capabilities);
        writer.EndObject();
        return writer.ToUtf8Bytes();
    }

    /// <summary><c>{"supported":true,"operation","ok","capabilities"}</c> for set, update, fork and clear.</summary>
    public static byte[] Ok(string operation, bool ok, PromptCacheCapabilities capabilities)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(capabilities);
        var writer = NewWriter();
        writer.StartObject();
        writer.WritePropertyName("supported");
        writer.WriteBoolean(true);
        WriteOperation(writer, operation);
        writer.WritePropertyName("ok");
        writer.WriteBoolean(ok);
        WriteCapabilities(writer, capabilities);
        writer.EndObject();
        return writer.ToUtf8Bytes();
    }

    /// <summary>
    /// <c>{"supported":true,"operation":"stats","capabilities","stats":{"entries","max_entries","default_ttl_s",
    /// "default_key","capabilities","keys","meta_by_key"}}</c>. Every live key has a row (its meta always holds
    /// <c>created_at_s</c>, <c>binding_id</c> and <c>fed_token_count</c>), so <c>meta_by_key</c> is left out only
    /// when there is no key, as upstream.
    /// </summary>
    public static byte[] Stats(PromptCacheStats stats, PromptCacheCapabilities capabilities)
    {
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentNullException.ThrowIfNull(capabilities);
        var writer = NewWriter();
        writer.StartObject();
        writer.WritePropertyName("supported");
        writer.WriteBoolean(true);
        WriteOperation(writer, PromptCacheOperations.Stats);
        WriteCapabilities(writer, capabilities);
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
        WriteCapabilities(writer, capabilities);
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
    /// A successful prepare_modules, which upstream returns without <c>operation</c> and <c>ok</c>:
    /// <c>{"supported":true,"capabilities","namespace","version","modules":[{"module_id","cache_key","module_hash"}],
    /// "final_cache_key"}</c>.
    /// </summary>
    public static byte[] PrepareModules(PromptCachePrepareResult result, PromptCacheCapabilities capabilities)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(capabilities);
        var writer = NewWriter();
        writer.StartObject();
        writer.WritePropertyName("supported");
        writer.WriteBoolean(true);
        WriteCapabilities(writer, capabilities);
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
    /// A coded failure: <c>{"supported":false,"operation","code","error","capabilities"}</c> (HTTP 200), the code one
    /// of <see cref="PromptCacheErrorCodes"/> and the error a sentence saying why.
    /// </summary>
    public static byte[] Error(string operation, string code, string error, PromptCacheCapabilities capabilities)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(capabilities);
        var writer = NewWriter();
        writer.StartObject();
        writer.WritePropertyName("supported");
        writer.WriteBoolean(false);
        WriteOperation(writer, operation);
        writer.WritePropertyName("code");
        writer.WriteString(code);
        writer.WritePropertyName("error");
        writer.WriteString(error);
        WriteCapabilities(writer, capabilities);
        writer.EndObject();
        return writer.ToUtf8Bytes();
    }

    /// <summary>The capabilities object alone (UTF-8 JSON), for replies of other shapes (a binding error's details).</summary>
    public static byte[] CapabilitiesObject(PromptCacheCapabilities capabilities)
    {
        var writer = NewWriter();
        WriteCapabilitiesObject(writer, capabilities);
        return writer.ToUtf8Bytes();
    }

    private static void WriteCapabilities(PythonJsonWriter writer, PromptCacheCapabilities capabilities)
    {
        writer.WritePropertyName("capabilities");
        WriteCapabilitiesObject(writer, capabilities);
    }

    /// <summary>The capabilities object, every field always present, in upstream's order.</summary>
    private static void WriteCapabilitiesObject(PythonJsonWriter writer, PromptCacheCapabilities capabilities)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        writer.StartObject();
        Flag(writer, "supported", capabilities.Supported);
        writer.WritePropertyName("mode");
        writer.WriteString(capabilities.Mode);
        Flag(writer, "supports_set", capabilities.SupportsSet);
        Flag(writer, "supports_clear", capabilities.SupportsClear);
        Flag(writer, "supports_update", capabilities.SupportsUpdate);
        Flag(writer, "supports_fork", capabilities.SupportsFork);
        Flag(writer, "supports_prepare_modules", capabilities.SupportsPrepareModules);
        Flag(writer, "supports_stats", capabilities.SupportsStats);
        Flag(writer, "supports_save", capabilities.SupportsSave);
        Flag(writer, "supports_load", capabilities.SupportsLoad);
        Flag(writer, "supports_ttl", capabilities.SupportsTtl);
        writer.WritePropertyName("notes");
        writer.StartArray();
        foreach (var note in capabilities.Notes)
        {
            writer.WriteString(note);
        }

        writer.EndArray();
        writer.EndObject();
    }

    private static PythonJsonWriter NewWriter() => new(sortKeys: false, allowNan: false);

    private static void WriteOperation(PythonJsonWriter writer, string operation)
    {
        writer.WritePropertyName("operation");
        writer.WriteString(operation);
    }

    private static void Flag(PythonJsonWriter writer, string name, bool value)
    {
        writer.WritePropertyName(name);
        writer.WriteBoolean(value);
    }
}

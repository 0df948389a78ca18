using AbstractEndpoint.Python;

namespace AbstractEndpoint.PromptCaching.Store;

/// <summary>How the original reads a cache key: trimmed (Python whitespace), and blank means "no key".</summary>
public static class PromptCacheKeys
{
    public static string? Normalize(string? key)
    {
        if (key is null)
        {
            return null;
        }

        var stripped = PythonWhitespace.Strip(key);
        return stripped.Length == 0 ? null : stripped;
    }
}

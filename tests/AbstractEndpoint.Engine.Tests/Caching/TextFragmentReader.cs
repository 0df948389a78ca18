using AbstractEndpoint.PromptCaching.Manager;

namespace AbstractEndpoint.Engine.Tests.Caching;

/// <summary>Reads fragments that carry only text (prompt and system prompt): no wire-format messages or tools.</summary>
public sealed class TextFragmentReader : IPromptCacheFragmentReader
{
    public static TextFragmentReader Instance { get; } = new();

    public PromptCacheAppend Read(PromptCacheFragment fragment)
    {
        ArgumentNullException.ThrowIfNull(fragment);
        return new PromptCacheAppend(fragment.Prompt, [], fragment.SystemPrompt, [], fragment.AddGenerationPrompt);
    }
}

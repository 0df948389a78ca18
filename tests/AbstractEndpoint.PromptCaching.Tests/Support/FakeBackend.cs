using System.Diagnostics.CodeAnalysis;
using AbstractEndpoint.PromptCaching.Manager;

namespace AbstractEndpoint.PromptCaching.Tests.Support;

/// <summary>Records every hook call; each capability can be switched off to exercise failure paths.</summary>
internal sealed class FakeBackend : IPromptCacheBackend<FakeCache>
{
    private int _nextId;

    public string Name => "llama_cpp";

    public bool CanCreate { get; set; } = true;

    public bool CanClone { get; set; } = true;

    /// <summary>Append fails for a fragment whose prompt equals this.</summary>
    public string? FailAppendOnPrompt { get; set; }

    public int Appends { get; private set; }

    public int Clones { get; private set; }

    public List<FakeCache> Live { get; } = [];

    public List<FakeCache> Released { get; } = [];

    public bool TryCreate([MaybeNullWhen(false)] out FakeCache payload)
    {
        payload = CanCreate ? Track(new FakeCache(++_nextId)) : null;
        return payload is not null;
    }

    public bool TryClone(FakeCache source, [MaybeNullWhen(false)] out FakeCache clone)
    {
        Clones++;
        clone = CanClone ? Track(new FakeCache(++_nextId, source.Fragments)) : null;
        return clone is not null;
    }

    public bool TryAppend(FakeCache target, PromptCacheAppend fragment)
    {
        if (fragment.Prompt == FailAppendOnPrompt)
        {
            return false;
        }

        Appends++;
        target.Fragments.Add(fragment);
        return true;
    }

    public int? CountTokens(FakeCache payload) => payload.Fragments.Count * 10;

    public void Release(FakeCache payload)
    {
        Assert.True(Live.Remove(payload), $"{payload} released twice or never created");
        Released.Add(payload);
    }

    private FakeCache Track(FakeCache cache)
    {
        Live.Add(cache);
        return cache;
    }
}

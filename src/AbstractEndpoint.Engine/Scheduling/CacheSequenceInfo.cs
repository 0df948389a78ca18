using AbstractEndpoint.PromptCaching.Store;

namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>One named cache's sequence as the loop last left it (an immutable value from a <see cref="CacheTableSnapshot"/>).</summary>
/// <param name="Sequence">The llama.cpp sequence id.</param>
/// <param name="Owner">Which cache holds the sequence now: a sequence is reused after its cache is freed.</param>
/// <param name="TokenCount">Tokens whose KV cells the cache holds (in the KV cache, or saved in host memory).</param>
/// <param name="Location"><see cref="PromptCacheLocation.Kv"/>, or <see cref="PromptCacheLocation.Ram"/> once spilled.</param>
/// <param name="SpilledBytes">Host memory its spilled state takes (0 while in the KV cache).</param>
/// <param name="LastUse">The loop's use counter at its last use: larger is more recent.</param>
/// <param name="Conversation">What its tokens were rendered from.</param>
/// <param name="Version">Grows with every change of its tokens or conversation (a save compares it).</param>
/// <param name="StateBytes">The size of its state: what saving it writes (stats' <c>bytes</c>).</param>
public sealed record CacheSequenceInfo(
    int Sequence,
    long Owner,
    int TokenCount,
    PromptCacheLocation Location,
    long SpilledBytes,
    long LastUse,
    CacheConversation Conversation,
    long Version,
    long StateBytes);

using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Engine.Tests.Fakes;

namespace AbstractEndpoint.Engine.Tests.Caching;

/// <summary>
/// Server-managed conversation states: a turn leaves its prompt and reply in its state, a fork starts the next turn
/// from those cells, the count is bounded (least recently used dropped), a release frees the loop's sequence, and
/// none of it is a named cache.
/// </summary>
public sealed class ConversationStateCacheTests
{
    private static ChatRequest Continuation(string first, string reply, string next) => new()
    {
        Messages = [new ChatMessage(ChatRole.User, first), new ChatMessage(ChatRole.Assistant, reply), new ChatMessage(ChatRole.User, next)],
        Limits = new() { MaxOutputTokens = 4 },
    };

    [Fact]
    public async Task A_fork_of_a_finished_turn_starts_the_next_turn_from_its_cells()
    {
        using var harness = new PromptCacheHarness(states: 4);
        var states = harness.States;
        var first = states.Open(null);
        const string opening = "tell me a long story about a dragon and a knight";
        var (reply, usage) = await harness.ChatAsync(FakeChatTemplate.UserRequest(opening, 4) with { ConversationState = first });
        var held = states.Describe(first)!;
        Assert.True(held.TokenCount >= usage.PromptTokens, $"{held.TokenCount} < {usage.PromptTokens}");

        var second = states.Open(first);
        await harness.Loop.CacheCommandsDoneAsync();
        Assert.Equal(held.TokenCount, states.Describe(second)!.TokenCount);
        Assert.NotEqual(held.Sequence, states.Describe(second)!.Sequence);

        // Other prompts take both slots (the least recently used first), so only the state can hold the first turn.
        await harness.ChatAsync(FakeChatTemplate.UserRequest("zebras quietly graze", 2));
        await harness.ChatAsync(FakeChatTemplate.UserRequest("quantum yak xylophone", 2));
        var (_, next) = await harness.ChatAsync(Continuation(opening, reply, "and then?") with { ConversationState = second });
        Assert.True(next.CachedTokens >= usage.PromptTokens, $"cached {next.CachedTokens} of {next.PromptTokens}");
        Assert.Empty(harness.Caches.Stats().Keys);
    }

    [Fact]
    public async Task Beyond_the_capacity_the_least_recently_used_state_is_dropped_and_a_release_frees_the_sequence()
    {
        using var harness = new PromptCacheHarness(states: 2);
        var states = harness.States;
        var a = states.Open(null);
        var b = states.Open(null);
        _ = states.Open(a); // Uses a: b is now the least recent.
        await harness.Loop.CacheCommandsDoneAsync();

        Assert.Equal(2, states.Count);
        Assert.Null(states.Describe(b));
        Assert.NotNull(states.Describe(a));

        var sequence = states.Describe(a)!.Sequence;
        states.Release(a);
        states.Release(a); // Twice is harmless.
        await harness.Loop.CacheCommandsDoneAsync();
        Assert.Equal(1, states.Count);
        Assert.DoesNotContain(harness.Loop.Caches.BySequence.Values, e => e.Sequence == sequence);

        // A request bound to a dropped state computes its prompt like any other.
        var (_, usage) = await harness.ChatAsync(FakeChatTemplate.UserRequest("hello there", 2) with { ConversationState = b });
        Assert.True(usage.PromptTokens > 0);
    }

    [Fact]
    public async Task With_room_for_one_state_a_continuation_takes_it_over()
    {
        using var harness = new PromptCacheHarness(states: 1);
        var states = harness.States;
        var first = states.Open(null);
        await harness.ChatAsync(FakeChatTemplate.UserRequest("one two three four five", 2) with { ConversationState = first });
        var tokens = states.Describe(first)!.TokenCount;

        var second = states.Open(first);

        Assert.NotEqual(first, second);
        Assert.Null(states.Describe(first));
        Assert.Equal(tokens, states.Describe(second)!.TokenCount);
        states.Release(first); // The old handle no longer reaches the state.
        Assert.Equal(1, states.Count);
    }

    [Fact]
    public void A_layout_without_states_keeps_none()
    {
        using var harness = new PromptCacheHarness();
        Assert.Equal(0, harness.States.Capacity);
        Assert.Throws<InvalidOperationException>(() => harness.States.Open(null));
    }
}

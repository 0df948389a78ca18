using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Host.Responses;

namespace AbstractEndpoint.Server.Tests.Responses;

/// <summary>The stored responses' bounds (count, TTL), ownership and the switch that turns storing off.</summary>
public sealed class ResponseStoreTests
{
    private readonly ManualClock _clock = new();

    private ResponseStore Store(int maxEntries = 10, double ttlSeconds = 60, bool enabled = true) =>
        new(new EndpointOptions { Model = "unused.gguf", ResponsesStore = enabled, ResponsesStoreMaxEntries = maxEntries, ResponsesStoreTtlSeconds = ttlSeconds }, _clock);

    private static StoredResponse Response(string id, string? owner = null) => new(id, owner, new byte[] { 1 }, [], []);

    [Fact]
    public void Beyond_the_count_the_oldest_goes_first()
    {
        var store = Store(maxEntries: 2);
        store.Add(Response("a"));
        store.Add(Response("b"));
        store.Add(Response("c"));

        Assert.Null(store.Find("a", null));
        Assert.NotNull(store.Find("b", null));
        Assert.NotNull(store.Find("c", null));
        Assert.Equal(2, store.Count);
    }

    [Fact]
    public void A_response_expires_its_ttl_after_it_was_made()
    {
        var store = Store(ttlSeconds: 60);
        store.Add(Response("a"));
        _clock.Advance(TimeSpan.FromSeconds(30));
        store.Add(Response("b"));

        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.NotNull(store.Find("a", null));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(store.Find("a", null));
        Assert.NotNull(store.Find("b", null));
        Assert.False(store.Delete("a", null));
    }

    [Fact]
    public void Only_the_owner_finds_or_deletes_a_response()
    {
        var store = Store();
        store.Add(Response("a", owner: "key-1"));

        Assert.Null(store.Find("a", "key-2"));
        Assert.Null(store.Find("a", null));
        Assert.False(store.Delete("a", "key-2"));
        Assert.NotNull(store.Find("a", "key-1"));
        Assert.True(store.Delete("a", "key-1"));
        Assert.Null(store.Find("a", "key-1"));
    }

    [Fact]
    public void Switched_off_it_keeps_nothing()
    {
        var store = Store(enabled: false);
        store.Add(Response("a"));

        Assert.False(store.Enabled);
        Assert.Null(store.Find("a", null));
    }

    [Fact]
    public void A_response_leaving_the_store_frees_its_conversation_state_once()
    {
        var states = new CountingStates();
        var store = Store(maxEntries: 2, ttlSeconds: 60);
        StoredResponse With(string id) => Response(id) with { State = new ConversationStateLease(states, states.Open(null)) };
        store.Add(With("deleted"));
        store.Add(With("expired"));
        Assert.Equal(2, states.Count);

        Assert.True(store.Delete("deleted", null));
        Assert.Equal(["state-1"], states.Released);

        _clock.Advance(TimeSpan.FromSeconds(60));
        store.Add(With("evicted"));
        Assert.Equal(["state-1", "state-2"], states.Released);

        store.Add(With("newer"));
        store.Add(With("newest")); // Pushes "evicted" out by count.
        Assert.Equal(["state-1", "state-2", "state-3"], states.Released);
        Assert.Equal(2, states.Count);

        var off = Store(enabled: false);
        off.Add(With("never"));
        Assert.Equal(2, states.Count); // Not stored: freed at once.

        // An idle store's sweep frees what expired without waiting for the next request.
        _clock.Advance(TimeSpan.FromSeconds(60));
        store.Sweep();
        Assert.Equal(0, states.Count);
    }

    /// <summary>Counts the states opened and which were released (the engine's real states are tested in Engine.Tests).</summary>
    private sealed class CountingStates : AbstractEndpoint.Core.Backends.IConversationStates
    {
        private int _next;

        public List<string> Released { get; } = [];

        public int Count => _next - Released.Count;

        public int Capacity => 100;

        public string Open(string? continuing) => "state-" + ++_next;

        public void Release(string handle) => Released.Add(handle);
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}

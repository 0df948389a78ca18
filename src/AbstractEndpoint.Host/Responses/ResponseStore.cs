using AbstractEndpoint.Host.Options;

namespace AbstractEndpoint.Host.Responses;

/// <summary>
/// The stored responses (<c>--responses-store</c>), in memory, bounded by count (the oldest goes first) and by a
/// TTL from creation. Each belongs to the API key that made it: another key sees a 404, as for an unknown id.
/// A response leaving the store (deleted, expired, pushed out, replaced) frees its conversation state with it;
/// expired responses are swept on every use of the store and at least every <see cref="SweepPeriod"/>, so an idle
/// server does not keep their KV states.
/// </summary>
internal sealed class ResponseStore : IDisposable
{
    /// <summary>How often expired responses are removed when nothing uses the store.</summary>
    public static readonly TimeSpan SweepPeriod = TimeSpan.FromSeconds(30);

    private readonly EndpointOptions _options;
    private readonly TimeProvider _time;
    private readonly ITimer _sweep;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (StoredResponse Response, DateTimeOffset Expires, LinkedListNode<string> Node)> _entries = [];
    private readonly LinkedList<string> _order = [];

    public ResponseStore(EndpointOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _time = time;
        _sweep = time.CreateTimer(_ => Sweep(), null, SweepPeriod, SweepPeriod);
    }

    /// <summary>Whether responses are stored at all.</summary>
    public bool Enabled => _options.ResponsesStore;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                RemoveExpired();
                return _entries.Count;
            }
        }
    }

    public void Add(StoredResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!Enabled)
        {
            response.State?.Dispose();
            return;
        }

        lock (_lock)
        {
            RemoveExpired();
            Remove(response.Id);
            while (_entries.Count >= _options.ResponsesStoreMaxEntries && _order.First is { } oldest)
            {
                Remove(oldest.Value);
            }

            var expires = _time.GetUtcNow() + TimeSpan.FromSeconds(_options.ResponsesStoreTtlSeconds);
            _entries[response.Id] = (response, expires, _order.AddLast(response.Id));
        }
    }

    /// <summary>The response <paramref name="id"/> if it exists, has not expired and belongs to <paramref name="owner"/>.</summary>
    public StoredResponse? Find(string id, string? owner)
    {
        lock (_lock)
        {
            RemoveExpired();
            return _entries.TryGetValue(id, out var entry) && entry.Response.Owner == owner ? entry.Response : null;
        }
    }

    /// <summary>Deletes the response; false when <see cref="Find"/> would not have found it.</summary>
    public bool Delete(string id, string? owner)
    {
        lock (_lock)
        {
            RemoveExpired();
            if (!_entries.TryGetValue(id, out var entry) || entry.Response.Owner != owner)
            {
                return false;
            }

            Remove(id);
            return true;
        }
    }

    /// <summary>Removes the expired responses (freeing their states) now.</summary>
    public void Sweep()
    {
        lock (_lock)
        {
            RemoveExpired();
        }
    }

    public void Dispose() => _sweep.Dispose();

    /// <summary>Entries are added in creation order with one TTL, so the expired ones are at the front.</summary>
    private void RemoveExpired()
    {
        var now = _time.GetUtcNow();
        while (_order.First is { } oldest && _entries[oldest.Value].Expires <= now)
        {
            Remove(oldest.Value);
        }
    }

    private void Remove(string id)
    {
        if (_entries.Remove(id, out var entry))
        {
            _order.Remove(entry.Node);
            entry.Response.State?.Dispose(); // Only frees a handle: the loop drops the cells later, in order.
        }
    }
}

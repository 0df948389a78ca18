using AbstractEndpoint.Host.Options;

namespace AbstractEndpoint.Host.Responses;

/// <summary>
/// The stored responses (<c>--responses-store</c>), in memory, bounded by count (the oldest goes first) and by a
/// TTL from creation. Each belongs to the API key that made it: another key sees a 404, as for an unknown id.
/// A response leaving the store (deleted, expired, pushed out, replaced) frees its conversation state with it;
/// expiry is noticed on the store's next use.
/// </summary>
internal sealed class ResponseStore(EndpointOptions options, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (StoredResponse Response, DateTimeOffset Expires, LinkedListNode<string> Node)> _entries = [];
    private readonly LinkedList<string> _order = [];

    /// <summary>Whether responses are stored at all.</summary>
    public bool Enabled => options.ResponsesStore;

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
            while (_entries.Count >= options.ResponsesStoreMaxEntries && _order.First is { } oldest)
            {
                Remove(oldest.Value);
            }

            var expires = time.GetUtcNow() + TimeSpan.FromSeconds(options.ResponsesStoreTtlSeconds);
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

    /// <summary>Entries are added in creation order with one TTL, so the expired ones are at the front.</summary>
    private void RemoveExpired()
    {
        var now = time.GetUtcNow();
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

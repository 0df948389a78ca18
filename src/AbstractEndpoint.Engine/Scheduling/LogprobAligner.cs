using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>
/// Keeps a choice's log-probability entries in step with the text the client receives. Each token gets the span
/// of decoded characters it completed (a token that only starts a multi-byte character belongs with the token
/// that finishes it); an entry is released once all of its characters have been released by the stop-sequence
/// matcher. When a stop sequence ends the reply, tokens with at least one character before the stop are released
/// and the rest, whose text the stop swallowed, are dropped. Loop thread only.
/// </summary>
internal sealed class LogprobAligner
{
    private readonly Queue<Pending> _pending = new();
    private long _decoded;
    private long _emitted;

    /// <summary>A token's entry and how many characters its bytes completed (0 while a character is unfinished).</summary>
    public void Add(TokenLogprob entry, int decodedChars)
    {
        var start = _decoded;
        AddChars(decodedChars);
        _pending.Enqueue(new Pending(entry, start) { End = decodedChars > 0 ? _decoded : -1 });
    }

    /// <summary>Characters decoded without a new token (the decoder's flush at the end).</summary>
    public void AddChars(int decodedChars)
    {
        if (decodedChars <= 0)
        {
            return;
        }

        _decoded += decodedChars;
        foreach (var pending in _pending)
        {
            if (pending.End < 0)
            {
                pending.End = _decoded;
            }
        }
    }

    /// <summary>
    /// Records <paramref name="emittedChars"/> more characters sent to the client and returns the entries that go
    /// with them (null when none). <paramref name="stopped"/>: a stop sequence ended the text; <paramref name="final"/>:
    /// the reply ended without one, so everything left goes.
    /// </summary>
    public List<TokenLogprob>? Release(int emittedChars, bool stopped, bool final)
    {
        _emitted += emittedChars;
        List<TokenLogprob>? released = null;
        while (_pending.TryPeek(out var next))
        {
            var emitted = final
                || (next.End >= 0 && next.End <= _emitted)
                || (stopped && next.Start < _emitted && next.End >= 0);
            if (!emitted)
            {
                break;
            }

            (released ??= []).Add(_pending.Dequeue().Entry);
        }

        if (stopped)
        {
            _pending.Clear();
        }

        return released;
    }

    private sealed class Pending(TokenLogprob entry, long start)
    {
        public TokenLogprob Entry { get; } = entry;

        public long Start { get; } = start;

        /// <summary>Decoded characters up to the end of this token's text; -1 while its character is unfinished.</summary>
        public long End { get; set; }
    }
}

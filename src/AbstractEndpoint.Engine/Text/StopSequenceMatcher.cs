using System.Text;

namespace AbstractEndpoint.Engine.Text;

/// <summary>
/// Finds stop sequences in streamed text. Text that could be the start of a stop sequence is held back until
/// the next piece decides, so a stop string split across tokens never leaks into the output.
/// </summary>
public sealed class StopSequenceMatcher(IReadOnlyList<string> stopSequences)
{
    private readonly string[] _stops = [.. stopSequences.Where(s => s.Length > 0)];
    private readonly StringBuilder _held = new();

    /// <summary>True once a stop sequence has been seen; later input is ignored.</summary>
    public bool Stopped { get; private set; }

    /// <summary>The stop sequence found, once <see cref="Stopped"/>.</summary>
    public string? Matched { get; private set; }

    /// <summary>Adds a piece of text; returns what can be emitted now.</summary>
    public string Push(string text)
    {
        if (Stopped)
        {
            return string.Empty;
        }

        if (_stops.Length == 0)
        {
            return text;
        }

        _held.Append(text);
        var buffer = _held.ToString();

        var stopAt = -1;
        foreach (var stop in _stops)
        {
            var index = buffer.IndexOf(stop, StringComparison.Ordinal);
            if (index >= 0 && (stopAt < 0 || index < stopAt))
            {
                stopAt = index;
                Matched = stop;
            }
        }

        if (stopAt >= 0)
        {
            Stopped = true;
            _held.Clear();
            return buffer[..stopAt];
        }

        var keep = LongestSuffixThatStartsAStop(buffer);
        _held.Clear();
        _held.Append(buffer, buffer.Length - keep, keep);
        return buffer[..^keep];
    }

    /// <summary>Ends the stream: text held back as a possible stop prefix is released.</summary>
    public string Flush()
    {
        if (Stopped)
        {
            return string.Empty;
        }

        var rest = _held.ToString();
        _held.Clear();
        return rest;
    }

    private int LongestSuffixThatStartsAStop(string buffer)
    {
        var best = 0;
        foreach (var stop in _stops)
        {
            for (var length = Math.Min(stop.Length - 1, buffer.Length); length > best; length--)
            {
                if (buffer.AsSpan(buffer.Length - length).SequenceEqual(stop.AsSpan(0, length)))
                {
                    best = length;
                    break;
                }
            }
        }

        return best;
    }
}

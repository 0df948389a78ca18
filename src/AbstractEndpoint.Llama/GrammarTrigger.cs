using System.Text;
using System.Text.RegularExpressions;

namespace AbstractEndpoint.Llama;

/// <summary>
/// Watches the generated text for the point where a lazy grammar takes over, the way llama.cpp's lazy grammar
/// does (the patterns are anchored and matched against the whole output, special tokens included; the grammar
/// starts at the first capture group), but with .NET's regex engine, whose backtracking keeps its state on the heap
/// rather than the native stack, so long outputs cannot crash the process. Loop thread only.
/// </summary>
internal sealed class GrammarTrigger
{
    // A pathological pattern must not stall the inference loop; a timeout counts as "no trigger yet".
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);

    private readonly Regex[] _patterns;
    private readonly List<byte> _bytes = [];
    private readonly Decoder _decoder = new UTF8Encoding(false, false).GetDecoder();
    private readonly StringBuilder _text = new();
    private readonly char[] _chars = new char[64];

    public GrammarTrigger(IReadOnlyList<string> patterns)
    {
        _patterns = [.. patterns.Select(Compile)];
    }

    /// <summary>Compiles a trigger pattern; throws <see cref="ArgumentException"/> when it is not a valid regex.</summary>
    public static Regex Compile(string pattern) => new(pattern, RegexOptions.CultureInvariant, MatchTimeout);

    /// <summary>
    /// Adds a token's bytes (special tokens rendered as their text). Returns the output's bytes from the trigger
    /// point on when this token completes a trigger, else null.
    /// </summary>
    public byte[]? Add(ReadOnlySpan<byte> piece)
    {
        if (piece.IsEmpty)
        {
            return null;
        }

        _bytes.AddRange(piece);
        var needed = _decoder.GetCharCount(piece, flush: false);
        var buffer = needed <= _chars.Length ? _chars : new char[needed];
        var count = _decoder.GetChars(piece, buffer, flush: false);
        _text.Append(buffer, 0, count);
        var text = _text.ToString();
        foreach (var pattern in _patterns)
        {
            Match match;
            try
            {
                match = pattern.Match(text);
            }
            catch (RegexMatchTimeoutException)
            {
                continue;
            }

            if (match.Success)
            {
                var start = FirstGroupStart(match);
                var byteStart = Encoding.UTF8.GetByteCount(text.AsSpan(0, start));
                return [.. _bytes.Skip(byteStart)];
            }
        }

        return null;
    }

    // llama.cpp constrains from the first non-empty capture group, or the whole match when there is none.
    private static int FirstGroupStart(Match match)
    {
        for (var i = 1; i < match.Groups.Count; i++)
        {
            if (match.Groups[i] is { Success: true, Length: > 0 } group)
            {
                return group.Index;
            }
        }

        return match.Index;
    }
}

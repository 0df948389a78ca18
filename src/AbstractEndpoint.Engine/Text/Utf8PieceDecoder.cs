using System.Text;

namespace AbstractEndpoint.Engine.Text;

/// <summary>
/// Turns token byte pieces into text without ever splitting a multi-byte character: bytes of an unfinished
/// UTF-8 sequence wait for the next token (a byte-fallback emoji is often spread over 3–4 tokens).
/// </summary>
public sealed class Utf8PieceDecoder
{
    private readonly Decoder _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
    private char[] _chars = new char[64];

    /// <summary>Adds a token's bytes and returns the complete characters now available (possibly empty).</summary>
    public string Add(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return string.Empty;
        }

        var needed = _decoder.GetCharCount(bytes, flush: false);
        if (needed > _chars.Length)
        {
            _chars = new char[Math.Max(needed, _chars.Length * 2)];
        }

        var written = _decoder.GetChars(bytes, _chars, flush: false);
        return written == 0 ? string.Empty : new string(_chars, 0, written);
    }

    /// <summary>Ends the stream: an incomplete trailing sequence becomes U+FFFD, as any UTF-8 decoder would.</summary>
    public string Flush()
    {
        var written = _decoder.GetChars([], _chars, flush: true);
        return written == 0 ? string.Empty : new string(_chars, 0, written);
    }
}

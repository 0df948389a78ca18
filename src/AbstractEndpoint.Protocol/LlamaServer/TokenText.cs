using System.Text;
using AbstractEndpoint.Core.Backends;

namespace AbstractEndpoint.Protocol.LlamaServer;

/// <summary>
/// Token ids back to text. The bytes of all tokens are joined before decoding, since a multi-byte character is often
/// split across tokens; bytes that still form no character become U+FFFD, as in llama-server.
/// </summary>
public static class TokenText
{
    public static string Detokenize(ITokenizer tokenizer, IReadOnlyList<int> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(tokens);
        var bytes = new List<byte>();
        foreach (var token in tokens)
        {
            bytes.AddRange(tokenizer.TokenBytes(token));
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }
}

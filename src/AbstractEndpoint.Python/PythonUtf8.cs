using System.Text;

namespace AbstractEndpoint.Python;

/// <summary>Python's <c>str.encode("utf-8")</c>: an unpaired surrogate is an error, never a silent U+FFFD.</summary>
public static class PythonUtf8
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] Encode(string text)
    {
        try
        {
            return Strict.GetBytes(text);
        }
        catch (EncoderFallbackException ex)
        {
            throw new ArgumentException("The text contains an unpaired UTF-16 surrogate, which UTF-8 cannot encode.", nameof(text), ex);
        }
    }
}

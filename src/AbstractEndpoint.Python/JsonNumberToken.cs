using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace AbstractEndpoint.Python;

/// <summary>
/// What Python's <c>json.loads</c> makes of a number token: an <c>int</c> of any size when the token has no fraction
/// or exponent, otherwise a <c>float</c> (so <c>1.0</c> and <c>1e2</c> stay floats and <c>-0</c> is the int 0).
/// </summary>
public readonly record struct JsonNumberToken(bool IsFloat, BigInteger Integer, double Float)
{
    public static JsonNumberToken Read(JsonElement number)
    {
        var raw = number.GetRawText();
        if (raw.AsSpan().IndexOfAny('.', 'e', 'E') >= 0)
        {
            // Like Python's float(): correctly rounded, overflow to ±inf, underflow to ±0.0.
            return new JsonNumberToken(true, BigInteger.Zero, double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        return new JsonNumberToken(false, BigInteger.Parse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture), 0);
    }

    public bool IsZero => IsFloat ? Float == 0 : Integer.IsZero;

    /// <summary>Python's <c>str()</c> of the value.</summary>
    public override string ToString() =>
        IsFloat ? PythonFloat.Repr(Float) : Integer.ToString(CultureInfo.InvariantCulture);
}

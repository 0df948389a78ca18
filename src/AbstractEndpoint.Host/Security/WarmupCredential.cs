using System.Security.Cryptography;
using System.Text;

namespace AbstractEndpoint.Host.Security;

/// <summary>
/// The pass the start-up warm-up (<see cref="Hosting.HttpWarmup"/>) shows on its own requests: a random value made
/// for this process, valid only while the warm-up runs and never written anywhere. It lets those requests through
/// <c>--api-key</c> without borrowing a user's key, and marks them so that they are neither logged as traffic nor
/// counted in the metrics. Like the keys, it is compared in fixed time.
/// </summary>
internal sealed class WarmupCredential
{
    /// <summary>The header that carries it.</summary>
    public const string HeaderName = "X-AbstractEndpoint-Warmup";

    private volatile byte[]? _token;

    /// <summary>Makes a fresh value, valid until <see cref="Revoke"/>; returns it for the warm-up's requests.</summary>
    public string Issue()
    {
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        _token = Encoding.ASCII.GetBytes(token);
        return token;
    }

    /// <summary>From now on no request is the warm-up's.</summary>
    public void Revoke() => _token = null;

    /// <summary>Whether the request carries the current pass (never true outside the warm-up).</summary>
    public bool Matches(HttpRequest request)
    {
        if (_token is not { } token || !request.Headers.TryGetValue(HeaderName, out var presented))
        {
            return false;
        }

        var bytes = Encoding.ASCII.GetBytes(presented.ToString());
        return CryptographicOperations.FixedTimeEquals(bytes, token);
    }
}

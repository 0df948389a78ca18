using System.Globalization;

namespace AbstractEndpoint.Hub;

/// <summary>Human-readable sizes in MB (10^6 bytes, as the hub's web pages show them).</summary>
internal static class ByteSize
{
    public static string Format(long bytes) =>
        bytes >= 1_000_000_000
            ? (bytes / 1e9).ToString("0.00 'GB'", CultureInfo.InvariantCulture)
            : (bytes / 1e6).ToString("0.0 'MB'", CultureInfo.InvariantCulture);
}

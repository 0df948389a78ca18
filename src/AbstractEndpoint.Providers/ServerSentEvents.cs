using System.Runtime.CompilerServices;
using System.Text;

namespace AbstractEndpoint.Providers;

/// <summary>
/// Reads the <c>data:</c> payloads of a server-sent event stream as they arrive (one event per payload, multi-line
/// data joined with newlines, comments and other fields skipped), with a bound on how long the stream may stay silent.
/// </summary>
internal static class ServerSentEvents
{
    public static async IAsyncEnumerable<string> ReadAsync(
        Stream stream, TimeSpan idleTimeout, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 4096);
        var data = new StringBuilder();
        var hasData = false;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (true)
        {
            idle.CancelAfter(idleTimeout);
            string? line;
            try
            {
                line = await reader.ReadLineAsync(idle.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"the upstream sent nothing for {idleTimeout.TotalSeconds:F0} s");
            }

            if (line is null || line.Length == 0)
            {
                if (hasData)
                {
                    yield return data.ToString();
                    data.Clear();
                    hasData = false;
                }

                if (line is null)
                {
                    yield break;
                }

                continue;
            }

            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                var value = line.AsSpan(5);
                if (value.Length > 0 && value[0] == ' ')
                {
                    value = value[1..];
                }

                if (hasData)
                {
                    data.Append('\n');
                }

                data.Append(value);
                hasData = true;
            }
        }
    }
}

using System.Runtime.CompilerServices;

namespace AbstractEndpoint.Engine.Tests.Support;

/// <summary>Reads a stream with a timeout on every item, so a scheduler bug fails a test instead of hanging it.</summary>
public static class AsyncStreamTimeout
{
    public static async IAsyncEnumerable<T> WithTimeout<T>(this IAsyncEnumerable<T> source, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var items = source.GetAsyncEnumerator(cancellationToken);
        await using (items.ConfigureAwait(false))
        {
            while (await items.MoveNextAsync().AsTask().WaitAsync(JobEventReader.Timeout, cancellationToken).ConfigureAwait(false))
            {
                yield return items.Current;
            }
        }
    }
}

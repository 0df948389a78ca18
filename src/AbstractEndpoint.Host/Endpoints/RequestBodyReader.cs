using System.Buffers;

namespace AbstractEndpoint.Host.Endpoints;

/// <summary>
/// The one way a route reads its body: whole, as UTF-8 bytes for the protocol parsers. Kestrel's request size limit
/// (<c>MaxRequestBodySize</c>) bounds it for every route alike; the bytes are not decoded here, so the parsers'
/// UTF-8 validation (malformed bytes → 400 <c>invalid_json</c>) is the only one.
/// </summary>
internal static class RequestBodyReader
{
    public static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpContext context)
    {
        var reader = context.Request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
            if (result.IsCompleted)
            {
                var bytes = result.Buffer.ToArray();
                reader.AdvanceTo(result.Buffer.End);
                return bytes;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}

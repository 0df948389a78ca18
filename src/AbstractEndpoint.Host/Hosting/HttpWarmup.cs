using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Host.Security;

namespace AbstractEndpoint.Host.Hosting;

/// <summary>
/// The start-up warm-up: once Kestrel listens and the model is published, but before <c>/health</c> says healthy,
/// the server sends itself the requests a first client would, over a real connection to its own address: a chat, the
/// same streamed, and a text completion, each of one token. Everything a first request runs is then compiled:
/// Kestrel's connection and HTTP/1.1 code, the middleware (access log, errors, API keys), routing, the routes'
/// handlers, the parser, template, tokenizer, one decode and sample on the loop, and the JSON and SSE writers.
/// Without it the first client paid for that just-in-time compilation (see <c>docs/operations.md</c>).
/// </summary>
/// <remarks>
/// The requests carry the <see cref="WarmupCredential"/>, so <c>--api-key</c> lets them in without a user's key and
/// they are neither logged as traffic nor counted in the metrics. A bare socket is used, not <c>HttpClient</c>: the
/// client side's own compilation would only lengthen start-up. The peer is this process (its own bound address), so
/// with <c>--ssl-cert-file</c> the certificate it shows is the one it was given and is not checked again.
/// </remarks>
internal static class HttpWarmup
{
    /// <summary>Sends the warm-up requests in turn; throws with the reason if one cannot be sent or is refused.</summary>
    public static async Task RunAsync(Uri listening, string modelId, string pass, CancellationToken cancellationToken)
    {
        var model = JsonEncodedText.Encode(modelId).ToString();
        var chat = $$"""{"model":"{{model}}","messages":[{"role":"user","content":"Hello"}],"max_tokens":1,"temperature":0""";
        await SendAsync(listening, "/v1/chat/completions", chat + "}", pass, cancellationToken).ConfigureAwait(false);
        await SendAsync(listening, "/v1/chat/completions", chat + ""","stream":true,"stream_options":{"include_usage":true}}""",
            pass, cancellationToken).ConfigureAwait(false);
        await SendAsync(listening, "/v1/completions", $$"""{"model":"{{model}}","prompt":"Hello","max_tokens":1,"temperature":0}""",
            pass, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Where to reach a server listening on <paramref name="address"/> from inside it: any-address means loopback.</summary>
    public static Uri Reachable(string address)
    {
        var uri = new Uri(address.Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal)
            .Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal));
        var host = IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip)
            ? ip.Equals(IPAddress.Any) ? IPAddress.Loopback : ip.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : ip
            : IPAddress.Loopback; // A name (localhost, or one Kestrel bound as any-address): loopback reaches it.
        return new UriBuilder(uri) { Host = host.ToString() }.Uri;
    }

    private static async Task SendAsync(Uri server, string path, string body, string pass, CancellationToken cancellationToken)
    {
        using var client = new TcpClient(server.HostNameType == UriHostNameType.IPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
        await client.ConnectAsync(IPAddress.Parse(server.Host.Trim('[', ']')), server.Port, cancellationToken).ConfigureAwait(false);
        Stream stream = client.GetStream();
        await using (stream.ConfigureAwait(false))
        {
            if (server.Scheme == Uri.UriSchemeHttps)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
                stream = tls;
                await tls.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions { TargetHost = server.Host }, cancellationToken).ConfigureAwait(false);
            }

            var content = Encoding.UTF8.GetBytes(body);
            var head = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: application/json\r\nContent-Length: {content.Length}\r\n"
                + $"{WarmupCredential.HeaderName}: {pass}\r\nConnection: close\r\n\r\n"));
            await stream.WriteAsync(head, cancellationToken).ConfigureAwait(false);
            await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);

            // The whole reply is read (the server closes after it), so the handler runs to its end.
            using var reply = new MemoryStream();
            await stream.CopyToAsync(reply, cancellationToken).ConfigureAwait(false);
            var text = Encoding.UTF8.GetString(reply.GetBuffer(), 0, (int)reply.Length);
            var status = text.Length >= 12 && int.TryParse(text.AsSpan(9, 3), CultureInfo.InvariantCulture, out var code) ? code : 0;
            if (status != 200)
            {
                throw new InvalidOperationException($"{path} answered {(status == 0 ? "nothing readable" : status)}: {Excerpt(text)}");
            }
        }
    }

    private static string Excerpt(string reply)
    {
        var bodyStart = reply.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var body = bodyStart < 0 ? reply : reply[(bodyStart + 4)..];
        return body.Length <= 200 ? body : body[..200];
    }
}

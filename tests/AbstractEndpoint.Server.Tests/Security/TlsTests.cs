using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Host.Hosting;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Security;

/// <summary>HTTPS with <c>--ssl-cert-file</c>/<c>--ssl-key-file</c>: a certificate the test makes, a real round trip.</summary>
public sealed class TlsTests : IAsyncLifetime
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("endpoint-tls-");
    private X509Certificate2 _certificate = null!;
    private string _certFile = "";
    private string _keyFile = "";

    public Task InitializeAsync()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _certFile = Path.Combine(_dir.FullName, "cert.pem");
        _keyFile = Path.Combine(_dir.FullName, "key.pem");
        File.WriteAllText(_certFile, _certificate.ExportCertificatePem());
        File.WriteAllText(_keyFile, key.ExportPkcs8PrivateKeyPem());
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _certificate.Dispose();
        _dir.Delete(recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_server_answers_over_https_with_the_given_certificate_and_not_over_plain_http()
    {
        X509Certificate2? presented = null;
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                // Trust exactly the test's certificate: the server must present it, and nothing else passes.
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    presented = certificate is null ? null : new X509Certificate2(certificate);
                    return presented?.Thumbprint == _certificate.Thumbprint;
                },
            },
        };
        var logs = new CapturedLogs("AbstractEndpoint.Host.Hosting.ModelLoadingService");
        await using var server = await RunningServer.StartAsync(
            new EndpointOptions { Model = TestModels.Synthetic, Parallel = 1, ContextSize = 512, Threads = 2, SslCertFile = _certFile, SslKeyFile = _keyFile },
            configureServices: logs.AddTo, handler: handler);

        // The start-up warm-up reached the server's own HTTPS address too.
        Assert.Contains(logs.Entries, e => e.Message.StartsWith("warmed up in ", StringComparison.Ordinal));

        Assert.Equal("https", server.BaseAddress.Scheme);
        using var response = await server.Http.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), new StringContent(
            "{\"model\":\"m\",\"max_tokens\":3,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("chat.completion", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("object").GetString());
        Assert.Equal(_certificate.Thumbprint, presented?.Thumbprint);

        using var plain = new HttpClient();
        var http = new UriBuilder(server.BaseAddress) { Scheme = "http" }.Uri;
        var refused = await Record.ExceptionAsync(async () =>
        {
            using var reply = await plain.GetAsync(new Uri(http, "health"));
            Assert.NotEqual(HttpStatusCode.OK, reply.StatusCode);
        });
        Assert.True(refused is null or HttpRequestException, refused?.ToString());
    }

    [Fact]
    public async Task A_certificate_without_its_key_or_with_another_key_stops_the_server_at_start_with_code_2()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var otherKey = Path.Combine(_dir.FullName, "other.pem");
        await File.WriteAllTextAsync(otherKey, other.ExportPkcs8PrivateKeyPem());

        foreach (var args in new[]
        {
            new[] { "--model", "m.gguf", "--ssl-cert-file", _certFile },
            ["--model", "m.gguf", "--ssl-cert-file", _certFile, "--ssl-key-file", otherKey],
            ["--model", "m.gguf", "--ssl-cert-file", _certFile + ".missing", "--ssl-key-file", _keyFile],
        })
        {
            var error = new StringWriter();
            var code = await Host.Cli.EndpointCommand.RunAsync(args, new NoVariables(), (options, _) =>
            {
                EndpointServer.Build(options);
                return Task.FromResult(0);
            }, error: error);

            Assert.Equal(2, code);
            Assert.Contains("--ssl-", error.ToString(), StringComparison.Ordinal);
        }
    }

    private sealed class NoVariables : Host.Cli.IEnvironment
    {
        public string? Get(string name) => null;
    }
}

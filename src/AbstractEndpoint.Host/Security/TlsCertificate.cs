using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AbstractEndpoint.Host.Cli;
using AbstractEndpoint.Host.Options;

namespace AbstractEndpoint.Host.Security;

/// <summary>
/// <c>--ssl-cert-file</c> and <c>--ssl-key-file</c>: the PEM certificate (with its chain, if the file has one) and
/// private key Kestrel serves HTTPS with, on the same port. Both or neither; a file that cannot be read or a key that
/// does not match the certificate stops the server at start (exit code 2) with the reason.
/// </summary>
internal static class TlsCertificate
{
    /// <summary>The certificate to serve, or null for plain HTTP.</summary>
    public static X509Certificate2? From(EndpointOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.SslCertFile is null && options.SslKeyFile is null)
        {
            return null;
        }

        if (options.SslCertFile is not { } certFile || options.SslKeyFile is not { } keyFile)
        {
            throw new UsageException("--ssl-cert-file and --ssl-key-file go together: give both for HTTPS, or neither.");
        }

        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certFile, keyFile);
            // A key loaded from PEM is ephemeral; some platforms' TLS stacks need it persisted, which a PKCS#12
            // round trip does (harmless where it is not needed).
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new UsageException($"--ssl-cert-file {certFile} with --ssl-key-file {keyFile} cannot be used: {ex.Message}");
        }
    }
}

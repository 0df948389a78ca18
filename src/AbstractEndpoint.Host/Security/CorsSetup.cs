using AbstractEndpoint.Host.Cli;
using AbstractEndpoint.Host.Options;

namespace AbstractEndpoint.Host.Security;

/// <summary>
/// CORS for browser apps on other origins (<c>--cors-origins</c>), through ASP.NET Core's CORS middleware: preflights
/// answered, the API key headers allowed, credentials (cookies, browser-managed auth) off unless
/// <c>--cors-credentials</c>. Not configured, no CORS header is ever sent, so browsers keep other origins out.
/// </summary>
internal static class CorsSetup
{
    public const string PolicyName = "abstractendpoint";

    /// <summary>The configured origins; null when CORS is off.</summary>
    public static string[]? Origins(EndpointOptions options)
    {
        var origins = options.CorsOrigins?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (origins is not { Length: > 0 })
        {
            return null;
        }

        if (origins.Contains("*") && options.CorsCredentials)
        {
            // The CORS specification forbids '*' with credentials; echoing every origin instead would hand any web
            // page the user's browser credentials, so the combination is refused rather than quietly widened.
            throw new UsageException("--cors-credentials cannot be combined with --cors-origins '*': list the origins.");
        }

        return origins;
    }

    public static void AddEndpointCors(this IServiceCollection services, EndpointOptions options, string[] origins) =>
        services.AddCors(cors => cors.AddPolicy(PolicyName, policy =>
        {
            _ = origins.Contains("*") ? policy.AllowAnyOrigin() : policy.WithOrigins(origins);
            policy.AllowAnyMethod().AllowAnyHeader().SetPreflightMaxAge(TimeSpan.FromMinutes(10));
            _ = options.CorsCredentials ? policy.AllowCredentials() : policy.DisallowCredentials();
        }));
}

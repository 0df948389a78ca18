using System.Reflection;
using System.Text;

namespace AbstractEndpoint.Host.Endpoints;

/// <summary>
/// <c>GET /</c> and <c>GET /ui</c>: the built-in chat and status page. Its HTML, CSS and JavaScript are embedded in
/// this assembly and served as one document (styles and script inlined), so the page needs no second request, works
/// under any path prefix a reverse proxy adds, and nothing is fetched from outside the server.
/// </summary>
internal static class WebUiEndpoints
{
    private const string ResourcePrefix = "AbstractEndpoint.Host.WebUi.";

    public static void MapWebUiEndpoints(this IEndpointRouteBuilder app)
    {
        var page = Assemble();
        IResult Serve(HttpContext context)
        {
            context.Response.Headers.CacheControl = "no-cache";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            return Results.Bytes(page, "text/html; charset=utf-8");
        }

        app.MapGet("/", Serve);
        app.MapGet("/ui", Serve); // routing matches "/ui/" too
    }

    // index.html names its parts with placeholders; the page is built once, at startup.
    private static byte[] Assemble()
    {
        var html = Read("index.html")
            .Replace("/*webui:app.css*/", Read("app.css"), StringComparison.Ordinal)
            .Replace("/*webui:markdown.js*/", Read("markdown.js"), StringComparison.Ordinal)
            .Replace("/*webui:app.js*/", Read("app.js"), StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(html);
    }

    private static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidOperationException($"The web UI resource {name} is missing from the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}

using System.Net;
using AbstractEndpoint.WebUi.Tests.Infrastructure;

namespace AbstractEndpoint.WebUi.Tests;

/// <summary>The page over plain HTTP: where it is served, that it is self-contained, and that --no-webui removes it.</summary>
[Collection(WebUiCollection.Name)]
public sealed class PageRouteTests(WebUiFixture fixture)
{
    [SkippableTheory]
    [InlineData("")]
    [InlineData("ui")]
    [InlineData("ui/")]
    public async Task The_page_is_served_at_the_root_and_at_ui(string path)
    {
        var server = fixture.RequireServer();
        using var response = await server.Http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        foreach (var testId in new[] { "prompt", "send", "stop", "tab-status" })
        {
            Assert.Contains($"data-testid=\"{testId}\"", html, StringComparison.Ordinal);
        }

        // Self-contained: styles and scripts are inlined, nothing is loaded from elsewhere.
        Assert.DoesNotContain("/*webui:", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"http", html, StringComparison.Ordinal);
        Assert.DoesNotContain("@import", html, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task No_webui_leaves_the_root_a_404_and_keeps_the_status_route()
    {
        fixture.RequireServer();
        await using var server = await WebUiServer.StartAsync(noWebUi: true);

        foreach (var path in new[] { "", "ui" })
        {
            using var response = await server.Http.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        var status = await server.StatusAsync();
        Assert.Equal("ready", status.GetProperty("status").GetString());
    }
}

namespace AbstractEndpoint.WebUi.Tests.Infrastructure;

/// <summary>One server and one browser shared by the page tests; either may be missing, then the tests skip.</summary>
public sealed class WebUiFixture : IAsyncLifetime
{
    public WebUiServer? Server { get; private set; }

    public HeadlessChromium? Browser { get; private set; }

    public async Task InitializeAsync()
    {
        if (WebUiServer.ModelPath is null)
        {
            return;
        }

        Server = await WebUiServer.StartAsync().ConfigureAwait(false);
        if (HeadlessChromium.MissingReason is null)
        {
            Browser = HeadlessChromium.Start();
        }
    }

    public async Task DisposeAsync()
    {
        Browser?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The server, or a skip naming what is missing.</summary>
    public WebUiServer RequireServer()
    {
        Skip.If(Server is null, WebUiServer.MissingModelReason);
        return Server!;
    }

    /// <summary>The server and the browser, or a skip naming what is missing.</summary>
    public (WebUiServer Server, HeadlessChromium Browser) RequireBrowser()
    {
        var server = RequireServer();
        Skip.If(Browser is null, HeadlessChromium.MissingReason);
        return (server, Browser!);
    }
}

[CollectionDefinition(Name)]
public sealed class WebUiCollection : ICollectionFixture<WebUiFixture>
{
    public const string Name = "web UI on stories260K";
}

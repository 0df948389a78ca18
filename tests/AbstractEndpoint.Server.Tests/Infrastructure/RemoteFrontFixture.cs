namespace AbstractEndpoint.Server.Tests.Infrastructure;

/// <summary>A front with <c>--provider openai-compatible</c> over a stories260K upstream (see <see cref="FrontOverUpstreamFixture"/>).</summary>
public sealed class RemoteFrontFixture() : FrontOverUpstreamFixture("openai-compatible", UpstreamModel, FrontModel, parallel: 4)
{
    public const string UpstreamModel = "stories260K-upstream";

    public const string FrontModel = "stories260K-remote";
}

[CollectionDefinition(Name)]
public sealed class RemoteFrontCollection : ICollectionFixture<RemoteFrontFixture>
{
    public const string Name = "a front server over a stories260K upstream";
}

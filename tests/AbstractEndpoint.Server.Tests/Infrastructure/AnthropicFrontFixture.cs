namespace AbstractEndpoint.Server.Tests.Infrastructure;

/// <summary>
/// A front with <c>--provider anthropic</c> over a stories260K upstream, which serves Anthropic's
/// <c>/v1/messages</c> among its routes (see <see cref="FrontOverUpstreamFixture"/>).
/// </summary>
public sealed class AnthropicFrontFixture() : FrontOverUpstreamFixture("anthropic", UpstreamModel, FrontModel, parallel: 2)
{
    public const string UpstreamModel = "stories260K-messages-upstream";

    public const string FrontModel = "stories260K-anthropic";
}

[CollectionDefinition(Name)]
public sealed class AnthropicFrontCollection : ICollectionFixture<AnthropicFrontFixture>
{
    public const string Name = "an anthropic front server over a stories260K upstream";
}

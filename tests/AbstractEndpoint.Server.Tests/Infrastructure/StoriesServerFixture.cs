namespace AbstractEndpoint.Server.Tests.Infrastructure;

/// <summary>A server on stories260K, a real trained model (no chat template, so ChatML); skipped without ../shared.</summary>
public sealed class StoriesServerFixture : ServerFixture
{
    public override string ModelId => "stories260K";

    public override IReadOnlyList<int> EndTokens { get; } = [2];

    protected override string? ModelPath => TestModels.Stories260K;

    protected override string MissingReason =>
        "needs ../shared/models/stories260K.gguf; " + TestSupport.SharedAssets.MissingReason;
}

[CollectionDefinition(Name)]
public sealed class StoriesServerCollection : ICollectionFixture<StoriesServerFixture>
{
    public const string Name = "stories260K server";
}

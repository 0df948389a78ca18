using System.Net;
using System.Text.Json;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Api;

[Collection(SyntheticServerCollection.Name)]
public sealed class HealthAndModelsTests(SyntheticServerFixture fixture)
{
    [SkippableFact]
    public async Task Health_is_the_original_shape_once_loaded()
    {
        var server = fixture.Require();

        using var response = await server.Http.GetAsync(new Uri("health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"status\":\"healthy\",\"model\":\"tiny-synthetic\"}", await response.Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task Models_lists_exactly_the_served_model()
    {
        var server = fixture.Require();
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        using var document = JsonDocument.Parse(await server.Http.GetStringAsync(new Uri("v1/models", UriKind.Relative)));

        var root = document.RootElement;
        Assert.Equal("list", root.GetProperty("object").GetString());
        var entry = Assert.Single(root.GetProperty("data").EnumerateArray());
        Assert.Equal("tiny-synthetic", entry.GetProperty("id").GetString());
        Assert.Equal("model", entry.GetProperty("object").GetString());
        Assert.Equal("abstractendpoint", entry.GetProperty("owned_by").GetString());
        Assert.InRange(entry.GetProperty("created").GetInt64(), before - 3600, before);
    }
}

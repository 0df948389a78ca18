namespace AbstractEndpoint.Providers.Tests;

public sealed class UpstreamSettingsResolverTests
{
    private static readonly RemoteProvider Ollama = RemoteProviders.Find("ollama")!;
    private static readonly RemoteProvider OpenAI = RemoteProviders.Find("OpenAI")!;

    private static Func<string, string?> Variables(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void The_configured_base_url_beats_the_providers_variable_which_beats_its_default()
    {
        var variables = Variables(("OLLAMA_BASE_URL", "http://gpu-box:11434/v1/"));

        Assert.Equal("http://cfg:1/v1", UpstreamSettingsResolver.Resolve(Ollama, "m", null, "http://cfg:1/v1", null, variables).BaseUrl.AbsoluteUri);
        Assert.Equal("http://gpu-box:11434/v1", UpstreamSettingsResolver.Resolve(Ollama, "m", null, null, null, variables).BaseUrl.AbsoluteUri);
        Assert.Equal("http://localhost:11434/v1", UpstreamSettingsResolver.Resolve(Ollama, "m", null, " ", null, Variables()).BaseUrl.AbsoluteUri);
    }

    [Fact]
    public void The_upstream_key_flag_beats_the_providers_own_variable()
    {
        var variables = Variables(("OPENAI_API_KEY", "sk-env"));

        Assert.Equal("sk-flag", UpstreamSettingsResolver.Resolve(OpenAI, "gpt", null, null, "sk-flag", variables).ApiKey);
        Assert.Equal("sk-env", UpstreamSettingsResolver.Resolve(OpenAI, "gpt", null, null, null, variables).ApiKey);
        Assert.Null(UpstreamSettingsResolver.Resolve(Ollama, "m", null, null, null, variables).ApiKey);
    }

    [Fact]
    public void The_served_id_is_the_alias_else_the_upstream_model()
    {
        Assert.Equal("mine", UpstreamSettingsResolver.Resolve(Ollama, "qwen3:4b", "mine", null, null, Variables()).ModelId);
        Assert.Equal("qwen3:4b", UpstreamSettingsResolver.Resolve(Ollama, "qwen3:4b", null, null, null, Variables()).ModelId);
    }

    [Theory]
    [InlineData("localhost:11434")]
    [InlineData("ftp://host/v1")]
    public void A_base_url_that_is_not_http_is_refused(string url)
    {
        var error = Assert.Throws<ArgumentException>(() => UpstreamSettingsResolver.Resolve(Ollama, "m", null, url, null, Variables()));
        Assert.Contains(url, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_provider_has_a_v1_default_and_its_own_base_url_variable()
    {
        Assert.All(RemoteProviders.All, p =>
        {
            Assert.EndsWith("/v1", p.DefaultBaseUrl, StringComparison.Ordinal);
            Assert.EndsWith("_BASE_URL", p.BaseUrlVariable, StringComparison.Ordinal);
        });
    }
}

using AbstractEndpoint.Hub.Tests.Support;

namespace AbstractEndpoint.Hub.Tests;

public sealed class HubOptionsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private HubOptions FromEnv(params (string Name, string Value)[] variables)
    {
        var env = variables.ToDictionary(v => v.Name, v => v.Value);
        env.TryAdd("HOME", _dir.Combine("home"));
        return HubOptions.FromEnvironment(name => env.GetValueOrDefault(name));
    }

    [Fact]
    public void Cache_directory_precedence_matches_huggingface_hub()
    {
        Assert.Equal(_dir.Combine("home", ".cache", "huggingface", "hub"), FromEnv().CacheDirectory);
        Assert.Equal(_dir.Combine("xdg", "huggingface", "hub"), FromEnv(("XDG_CACHE_HOME", _dir.Combine("xdg"))).CacheDirectory);
        Assert.Equal(_dir.Combine("hf", "hub"), FromEnv(("HF_HOME", _dir.Combine("hf")), ("XDG_CACHE_HOME", "/ignored")).CacheDirectory);
        Assert.Equal(
            _dir.Combine("hubcache"),
            FromEnv(("HF_HUB_CACHE", _dir.Combine("hubcache")), ("HF_HOME", _dir.Combine("hf"))).CacheDirectory);
        Assert.Equal(_dir.Combine("home", "my-hf", "hub"), FromEnv(("HF_HOME", "~/my-hf")).CacheDirectory);
    }

    [Fact]
    public void Endpoint_defaults_to_huggingface_and_honours_HF_ENDPOINT()
    {
        Assert.Equal(new Uri("https://huggingface.co"), FromEnv().Endpoint);
        Assert.Equal(new Uri("http://127.0.0.1:8080/mirror"), FromEnv(("HF_ENDPOINT", "http://127.0.0.1:8080/mirror/")).Endpoint);
        Assert.Throws<ModelResolutionException>(() => FromEnv(("HF_ENDPOINT", "ftp://nope")));
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("YES", true)]
    [InlineData("On", true)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    [InlineData("", false)]
    public void Offline_flag_uses_huggingface_hub_truthiness(string value, bool offline) =>
        Assert.Equal(offline, FromEnv(("HF_HUB_OFFLINE", value)).Offline);

    [Fact]
    public void Token_comes_from_HF_TOKEN_then_legacy_variable_then_token_file()
    {
        _dir.CreateFile("hf/token", "from-file\n"u8.ToArray());

        Assert.Equal("a", FromEnv(("HF_TOKEN", "a"), ("HUGGING_FACE_HUB_TOKEN", "b"), ("HF_HOME", _dir.Combine("hf"))).Token);
        Assert.Equal("b", FromEnv(("HUGGING_FACE_HUB_TOKEN", "b"), ("HF_HOME", _dir.Combine("hf"))).Token);
        Assert.Equal("from-file", FromEnv(("HF_HOME", _dir.Combine("hf"))).Token);
        Assert.Null(FromEnv().Token);
    }

    [Fact]
    public void ToString_does_not_reveal_the_token()
    {
        var text = FromEnv(("HF_TOKEN", "hf_supersecret")).ToString();

        Assert.DoesNotContain("hf_supersecret", text, StringComparison.Ordinal);
        Assert.Contains("Token = set", text, StringComparison.Ordinal);
    }
}

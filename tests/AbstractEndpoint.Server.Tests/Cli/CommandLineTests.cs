using AbstractEndpoint.Host.Cli;
using AbstractEndpoint.Host.Options;

namespace AbstractEndpoint.Server.Tests.Cli;

/// <summary>Flags beat environment variables, blank variables count as unset, defaults match the docs.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task Environment_variables_configure_the_server()
    {
        var options = await ParseAsync([], new()
        {
            ["ABSTRACTENDPOINT_PROVIDER"] = "gguf",
            ["ABSTRACTENDPOINT_MODEL"] = "m.gguf",
            ["ABSTRACTENDPOINT_HOST"] = "0.0.0.0",
            ["ABSTRACTENDPOINT_PORT"] = "9000",
        });

        Assert.Equal("gguf", options.Provider);
        Assert.Equal("m.gguf", options.Model);
        Assert.Equal("0.0.0.0", options.Host);
        Assert.Equal(9000, options.Port);
    }

    [Fact]
    public async Task Flags_beat_environment_variables()
    {
        var options = await ParseAsync(
            ["--model", "flag.gguf", "--port", "8123", "--host", "localhost"],
            new() { ["ABSTRACTENDPOINT_MODEL"] = "env.gguf", ["ABSTRACTENDPOINT_PORT"] = "9000", ["ABSTRACTENDPOINT_HOST"] = "0.0.0.0" });

        Assert.Equal("flag.gguf", options.Model);
        Assert.Equal(8123, options.Port);
        Assert.Equal("localhost", options.Host);
    }

    [Fact]
    public async Task Blank_variables_count_as_unset_and_defaults_apply()
    {
        var options = await ParseAsync(["--model", "m.gguf"], new()
        {
            ["ABSTRACTENDPOINT_PROVIDER"] = "  ",
            ["ABSTRACTENDPOINT_HOST"] = "",
            ["ABSTRACTENDPOINT_PORT"] = " ",
        });

        Assert.Equal("huggingface", options.Provider);
        Assert.Equal("127.0.0.1", options.Host);
        Assert.Equal(8001, options.Port);
        Assert.Equal(Environment.ProcessorCount, options.Threads);
        Assert.Equal(4, options.Parallel);
        Assert.Equal(64, options.MaxQueue);
        Assert.Equal(512, options.BatchSize);
        Assert.Equal("m.gguf", options.ModelId);
    }

    [Fact]
    public async Task Engine_flags_and_alias_are_read()
    {
        var options = await ParseAsync(
            ["--model", "m.gguf", "--alias", "my-model", "--ctx-size", "1024", "--threads", "3", "--batch-size", "64",
             "--prefill-chunk", "32", "--parallel", "2", "--max-queue", "5", "--chat-template", "chatml", "--log-level", "debug"], []);

        Assert.Equal("my-model", options.ModelId);
        Assert.Equal(1024, options.ContextSize);
        Assert.Equal(3, options.Threads);
        Assert.Equal(64, options.BatchSize);
        Assert.Equal(32, options.PrefillChunk);
        Assert.Equal(2, options.Parallel);
        Assert.Equal(5, options.MaxQueue);
        Assert.Equal("chatml", options.ChatTemplate);
        Assert.Equal("debug", options.LogLevel);
    }

    [Fact]
    public async Task The_web_page_is_on_unless_no_webui_is_given()
    {
        Assert.False((await ParseAsync(["--model", "m.gguf"], [])).NoWebUi);
        Assert.True((await ParseAsync(["--model", "m.gguf", "--no-webui"], [])).NoWebUi);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("auto", null)]
    [InlineData("on", true)]
    [InlineData("OFF", false)]
    public async Task Flash_attention_is_auto_on_or_off(string? value, bool? expected)
    {
        var options = await ParseAsync(value is null ? ["--model", "m.gguf"] : ["--model", "m.gguf", "--flash-attn", value], []);

        Assert.Equal(expected, options.FlashAttention);
    }

    [Theory]
    [InlineData(null, 0.0)]
    [InlineData("auto", 0.0)]
    [InlineData("Off", null)]
    [InlineData("150", 150.0)]
    [InlineData("42.5", 42.5)]
    public async Task The_target_inter_token_latency_is_auto_off_or_milliseconds(string? value, double? expected)
    {
        var options = await ParseAsync(value is null ? ["--model", "m.gguf"] : ["--model", "m.gguf", "--target-itl-ms", value], []);

        Assert.Equal(expected, options.TargetItlMs);
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData("off", 0)]
    [InlineData("Auto", -1)]
    [InlineData("300", 300)]
    public async Task The_wave_hold_is_off_auto_or_tokens(string? value, int expected)
    {
        var options = await ParseAsync(value is null ? ["--model", "m.gguf"] : ["--model", "m.gguf", "--wave-hold", value], []);

        Assert.Equal(expected, options.WaveHoldTokens);
    }

    [Theory]
    [InlineData("--provider", "mlx")]
    [InlineData("--provider", "nosuchprovider")]
    [InlineData("--threads", "0")]
    [InlineData("--flash-attn", "maybe")]
    [InlineData("--prefill-chunk", "0")]
    [InlineData("--target-itl-ms", "0")]
    [InlineData("--target-itl-ms", "-5")]
    [InlineData("--target-itl-ms", "fast")]
    [InlineData("--wave-hold", "0")]
    [InlineData("--wave-hold", "-1")]
    [InlineData("--wave-hold", "soon")]
    public async Task Bad_values_exit_with_code_2(string flag, string value)
    {
        var ran = false;
        var code = await EndpointCommand.RunAsync(["--model", "m.gguf", flag, value], new FakeEnvironment([]), (_, _) =>
        {
            ran = true;
            return Task.FromResult(0);
        });

        Assert.Equal(2, code);
        Assert.False(ran);
    }

    [Fact]
    public async Task A_bad_port_variable_exits_with_code_2()
    {
        var code = await EndpointCommand.RunAsync(["--model", "m.gguf"], new FakeEnvironment(new() { ["ABSTRACTENDPOINT_PORT"] = "eighty" }),
            (_, _) => Task.FromResult(0));

        Assert.Equal(2, code);
    }

    private static async Task<EndpointOptions> ParseAsync(string[] args, Dictionary<string, string> env)
    {
        EndpointOptions? captured = null;
        var code = await EndpointCommand.RunAsync(args, new FakeEnvironment(env), (options, _) =>
        {
            captured = options;
            return Task.FromResult(0);
        });

        Assert.Equal(0, code);
        return captured!;
    }

    private sealed class FakeEnvironment(Dictionary<string, string> values) : IEnvironment
    {
        public string? Get(string name) =>
            values.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
    }
}

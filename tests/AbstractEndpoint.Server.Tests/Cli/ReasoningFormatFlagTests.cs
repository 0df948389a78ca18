using AbstractEndpoint.Host.Cli;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.StructuredOutput;

namespace AbstractEndpoint.Server.Tests.Cli;

/// <summary><c>--reasoning-format</c> takes llama-server's names.</summary>
public sealed class ReasoningFormatFlagTests
{
    [Theory]
    [InlineData(null, ReasoningFormat.Extract)]
    [InlineData("auto", ReasoningFormat.Extract)]
    [InlineData("deepseek", ReasoningFormat.Extract)]
    [InlineData("DeepSeek", ReasoningFormat.Extract)]
    [InlineData("none", ReasoningFormat.None)]
    public async Task Names_map_to_extracting_or_leaving_the_reasoning(string? value, ReasoningFormat expected)
    {
        EndpointOptions? captured = null;
        string[] args = value is null ? ["--model", "m.gguf"] : ["--model", "m.gguf", "--reasoning-format", value];

        var code = await EndpointCommand.RunAsync(args, new NoEnvironment(), (options, _) =>
        {
            captured = options;
            return Task.FromResult(0);
        });

        Assert.Equal(0, code);
        Assert.Equal(expected, captured!.ReasoningFormat);
    }

    [Fact]
    public async Task An_unknown_name_exits_with_code_2()
    {
        var code = await EndpointCommand.RunAsync(["--model", "m.gguf", "--reasoning-format", "deepseek-legacy"], new NoEnvironment(),
            (_, _) => Task.FromResult(0));

        Assert.Equal(2, code);
    }

    private sealed class NoEnvironment : IEnvironment
    {
        public string? Get(string name) => null;
    }
}

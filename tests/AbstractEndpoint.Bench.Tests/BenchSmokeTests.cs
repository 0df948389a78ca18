using AbstractEndpoint.Bench.Commands;
using AbstractEndpoint.Bench.Load;
using AbstractEndpoint.Gguf;
using AbstractEndpoint.Gguf.Synthetic;
using AbstractEndpoint.Host.Hosting;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Llama;
using Microsoft.Extensions.Logging.Abstractions;

namespace AbstractEndpoint.Bench.Tests;

/// <summary>
/// A few-seconds smoke of the benchmark path CI can afford: a generated model, the raw engine loop, and the load
/// tool driving the real server. The real runs (docs/performance.md) are made by hand on bigger models.
/// </summary>
public sealed class BenchSmokeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bench-smoke-").FullName;
    private readonly string _model;

    public BenchSmokeTests()
    {
        _model = Path.Combine(_directory, "tiny.gguf");
        SyntheticModel.Write(_model, new SyntheticModelOptions
        {
            Shape = SyntheticModelShape.Tiny,
            TensorType = GgmlType.Q8_0,
            Vocabulary = BuiltInVocabulary.Create(),
            ChatTemplate = ChatTemplates.ChatMl,
            ContextLength = 2048,
        });
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_raw_engine_loop_generates_exactly_the_requested_tokens()
    {
        using var runtime = LlamaRuntime.Load(
            new LlamaRuntimeOptions { ModelPath = _model, Threads = 1, ContextSize = 512, Parallel = 1 }, NullLogger.Instance);
        var prompt = runtime.Vocabulary.Tokenize("the sea and the ship and the wind", addBos: true, parseSpecial: false);

        var result = RawDecodeLoop.Run(runtime, prompt, 32);

        Assert.Equal(32, result.GeneratedTokens);
        Assert.Equal(prompt.Length, result.PromptTokens);
        Assert.True(result.DecodeTokensPerSecond > 0 && result.PrefillTokensPerSecond > 0);
    }

    [Fact]
    public async Task The_load_tool_drives_the_real_server_without_errors()
    {
        await using var app = EndpointServer.Build(new EndpointOptions
        {
            Model = _model,
            Alias = "tiny",
            Host = "127.0.0.1",
            Port = 0,
            Threads = 1,
            Parallel = 2,
            LogLevel = "warning",
        });
        await app.StartAsync();
        using var http = new HttpClient();
        var baseUrl = new Uri(app.Urls.First() + "/");
        for (var i = 0; i < 200 && !(await http.GetAsync(new Uri(baseUrl, "health"))).IsSuccessStatusCode; i++)
        {
            await Task.Delay(50);
        }

        var report = await LoadCommand.RunAsync(
            new LoadTestOptions
            {
                Targets = [new LoadTarget("A", new Uri(baseUrl, "v1"), "tiny", null)],
                ConcurrencyLevels = [1, 2],
                PromptTokens = 30,
                MaxTokens = 8,
                RequestsPerLevel = 4,
                SuppressedTokenIds = [BuiltInVocabulary.EosId, BuiltInVocabulary.ImEndId],
            },
            TextWriter.Null,
            CancellationToken.None);

        Assert.Equal(2, report.Levels.Count);
        Assert.All(report.Levels, level =>
        {
            Assert.Equal(0, level.Errors);
            Assert.Equal(0, level.ShortResponses);
            Assert.Equal(4 * 8, level.CompletionTokens);
            Assert.True(level.AggregateTokensPerSecond > 0);
        });
        Assert.Contains("| A | 2 |", MarkdownReport.Render(report), StringComparison.Ordinal);
        await app.StopAsync();
    }
}

using System.CommandLine;
using AbstractEndpoint.Bench.Commands;
using AbstractEndpoint.Bench.Load;
using AbstractEndpoint.Engine.Runtime;
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
    public void Generate_model_writes_a_bert_embedding_model_with_its_pooling()
    {
        var path = Path.Combine(_directory, "bert.gguf");

        var exit = GenerateModelCommand.Create().Parse(["--preset", "tiny", "--bert", "cls", "--out", path]).Invoke();

        Assert.Equal(0, exit);
        var file = GgufFile.Read(path);
        Assert.Equal("bert", file.Architecture);
        Assert.Equal(2, file.Metadata.GetInteger("bert.pooling_type"));
    }

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
    public void The_raw_engine_loop_decodes_several_sequences_in_one_batch_per_step()
    {
        using var runtime = LlamaRuntime.Load(
            new LlamaRuntimeOptions { ModelPath = _model, Threads = 1, ContextSize = 512, Parallel = 3 }, NullLogger.Instance);
        var prompt = runtime.Vocabulary.Tokenize("the sea and the ship", addBos: true, parseSpecial: false);

        var result = RawDecodeLoop.Run(runtime, prompt, 16, sequences: 3);

        Assert.Equal(3, result.Sequences);
        Assert.Equal(3 * result.DecodeTokensPerSecond, result.AggregateDecodeTokensPerSecond, 6);
        Assert.True(result.AggregateTokensPerSecond < result.AggregateDecodeTokensPerSecond, "prefill time counts in the aggregate");
        Assert.Throws<ArgumentOutOfRangeException>(() => RawDecodeLoop.Run(runtime, prompt, 4, sequences: 4));
    }

    [Fact]
    public void The_step_cost_probe_times_every_shape_and_leaves_the_streams_as_they_were()
    {
        using var runtime = LlamaRuntime.Load(
            new LlamaRuntimeOptions { ModelPath = _model, Threads = 1, ContextSize = 512, Parallel = 3 }, NullLogger.Instance);

        var costs = StepCostProbe.Measure(runtime, streams: 2, cellsPerStream: 20, [(2, 0), (2, 16), (0, 32)], repeats: 3);

        Assert.Equal([(2, 0), (2, 16), (0, 32)], costs.Select(c => (c.DecodeRows, c.PromptTokens)));
        Assert.All(costs, c => Assert.True(c.Milliseconds > 0, c.ToString()));
        // Every timed step was freed again: each stream holds its 20 cells (a state as large as 20 fresh cells'),
        // and the prompt's sequence is empty again.
        var emptyState = runtime.SequenceStateSize(2);
        var reference = new TokenBatch(32);
        for (var i = 0; i < 20; i++)
        {
            reference.Add(10 + i, i, 2, false);
        }

        Assert.Equal(DecodeStatus.Ok, runtime.Decode(reference));
        Assert.True(emptyState < runtime.SequenceStateSize(2));
        Assert.Equal(runtime.SequenceStateSize(2), runtime.SequenceStateSize(0));
        Assert.Equal(runtime.SequenceStateSize(2), runtime.SequenceStateSize(1));

        var output = new StringWriter();
        var exit = StepCostsCommand.Create()
            .Parse(["--model", _model, "--threads", "1", "--ctx-size", "512", "--streams", "2", "--cells-per-stream", "20",
                "--decode-rows", "0,2", "--prompt-tokens", "0,8", "--repeats", "1"])
            .Invoke(new InvocationConfiguration { Output = output, Error = output });
        Assert.True(exit == 0, output.ToString());
        Assert.Contains("| 2 | 8 |", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(3, output.ToString().Split('\n').Count(line => line.StartsWith("| 0 |", StringComparison.Ordinal) || line.StartsWith("| 2 |", StringComparison.Ordinal)));
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

        // The engine command measures the raw loop and this server level by level, and prints server / raw.
        var output = new StringWriter();
        var exit = await EngineCommand.Create()
            .Parse(["--model", _model, "--threads", "1", "--ctx-size", "512", "--prompt-tokens", "20", "--max-tokens", "8",
                "--runs", "1", "--concurrency", "1,2", "--url", new Uri(baseUrl, "v1").ToString(),
                "--eos-token-id", $"{BuiltInVocabulary.EosId},{BuiltInVocabulary.ImEndId}"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output });
        Assert.True(exit == 0, output.ToString());
        var lines = output.ToString().Split('\n');
        Assert.Contains(lines, line => line.Contains("stream / raw", StringComparison.Ordinal));
        Assert.Single(lines, line => line.StartsWith("| 1 |", StringComparison.Ordinal));
        Assert.Single(lines, line => line.StartsWith("| 2 |", StringComparison.Ordinal) && line.Split("**").Length == 5);
        await app.StopAsync();
    }

    [Fact]
    public async Task The_side_by_side_command_starts_the_variants_and_prints_every_table()
    {
        // The host this test project references is built next to it; the command runs it as a child process.
        var host = Path.Combine(AppContext.BaseDirectory, "abstractcore-endpoint.dll");
        var output = new StringWriter();

        var exit = await SideBySideCommand.Create()
            .Parse(["--model", _model, "--endpoint", host, "--threads", "1", "--parallel", "2", "--ctx-size", "1024",
                "--concurrency", "1,2", "--rounds", "1", "--requests-per-level", "2", "--prompt-tokens", "20", "--max-tokens", "6",
                "--eos-token-id", $"{BuiltInVocabulary.EosId},{BuiltInVocabulary.ImEndId}",
                "--variant", "A=--target-itl-ms off", "--variant", "B=--target-itl-ms auto",
                "--rotating-prompts", "3", "--rotating-prompt-tokens", "40", "--log-dir", Path.Combine(_directory, "logs")])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output });

        var text = output.ToString();
        Assert.True(exit == 0, text);
        var lines = text.Split('\n');
        Assert.Single(lines, line => line.StartsWith("| A | 2 | 2 | 0 | 0 |", StringComparison.Ordinal));
        Assert.Single(lines, line => line.StartsWith("| B | 2 | 2 | 0 | 0 |", StringComparison.Ordinal));
        Assert.Single(lines, line => line.StartsWith("| B / A | 2 |", StringComparison.Ordinal));
        // Three prompts, each visited twice, per target.
        Assert.Single(lines, line => line.StartsWith("| A | 6 | 0 |", StringComparison.Ordinal));
        Assert.Single(lines, line => line.StartsWith("| B | 6 | 0 |", StringComparison.Ordinal));
        // Without llama-server the raw loop is the anchor, one row per level.
        Assert.Contains(lines, line => line.StartsWith("raw llama.cpp loop", StringComparison.Ordinal));
        Assert.Single(lines, line => line.StartsWith("| 2 | ", StringComparison.Ordinal) && line.Split('|').Length == 8);
        Assert.True(File.Exists(Path.Combine(_directory, "logs", "B.log")));
    }
}

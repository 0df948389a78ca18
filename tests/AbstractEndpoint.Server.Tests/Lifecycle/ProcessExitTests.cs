using System.Diagnostics;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Lifecycle;

/// <summary>
/// The real <c>abstractcore-endpoint</c> process: a model that cannot be loaded, or a bad command line, ends it
/// with a non-zero exit code and a reason a user can act on; SIGTERM lets running work finish.
/// </summary>
public sealed class ProcessExitTests
{
    [Fact]
    public async Task A_missing_model_file_exits_1_with_the_path()
    {
        var (exitCode, output) = await ServerProcess.RunToExitAsync(["--model", "/nonexistent/model.gguf", "--port", "0"]);

        Assert.Equal(1, exitCode);
        Assert.Contains("not found", output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("/nonexistent/model.gguf", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_GGUF_exits_1_saying_so()
    {
        var path = Path.Combine(Path.GetTempPath(), $"not-a-model-{Guid.NewGuid():N}.gguf");
        await File.WriteAllTextAsync(path, "this is not a model");
        try
        {
            var (exitCode, output) = await ServerProcess.RunToExitAsync(["--model", path, "--port", "0"]);

            Assert.Equal(1, exitCode);
            Assert.Contains("not a GGUF file", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task The_mlx_provider_is_refused_with_the_available_ones()
    {
        var (exitCode, output) = await ServerProcess.RunToExitAsync(["--provider", "mlx", "--model", "x.gguf"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("Available providers: huggingface", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_documents_every_flag()
    {
        var (exitCode, output) = await ServerProcess.RunToExitAsync(["--help"]);

        Assert.Equal(0, exitCode);
        foreach (var flag in new[] { "--provider", "--model", "--host", "--port", "--ctx-size", "--threads", "--batch-size",
                     "--flash-attn", "--prefill-chunk", "--parallel", "--max-queue", "--chat-template", "--chat-template-file", "--alias", "--log-level", "--hf-file" })
        {
            Assert.Contains(flag, output, StringComparison.Ordinal);
        }

        Assert.Contains("ABSTRACTENDPOINT_PORT", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SIGTERM_lets_a_running_stream_finish_then_exits_0()
    {
        var port = ServerProcess.FreePort();
        using var process = ServerProcess.Start(["--model", TestModels.Synthetic, "--port", ServerProcess.Text(port), "--threads", "1"]);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };
            await ServerProcess.WaitForHealthAsync(http);

            using var content = new StringContent(
                "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}],\"max_tokens\":1800,\"logit_bias\":{\"2\":-100,\"260\":-100},\"stream\":true,\"stream_options\":{\"include_usage\":true}}",
                System.Text.Encoding.UTF8, "application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = content };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            Assert.StartsWith("data: ", await reader.ReadLineAsync(), StringComparison.Ordinal);

            using (var kill = Process.Start("kill", ["-TERM", ServerProcess.Text(process.Id)]))
            {
                await kill.WaitForExitAsync();
            }

            var rest = await reader.ReadToEndAsync();
            Assert.EndsWith("data: [DONE]\n\n", rest, StringComparison.Ordinal);
            Assert.Contains("\"completion_tokens\":1800", rest, StringComparison.Ordinal);

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await Task.WhenAll(stdout, stderr);
        }
    }
}

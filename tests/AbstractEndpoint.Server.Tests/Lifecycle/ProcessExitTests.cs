using System.Diagnostics;

namespace AbstractEndpoint.Server.Tests.Lifecycle;

/// <summary>
/// The real <c>abstractcore-endpoint</c> process: a model that cannot be loaded, or a bad command line, ends it
/// with a non-zero exit code and a reason a user can act on.
/// </summary>
public sealed class ProcessExitTests
{
    [Fact]
    public async Task A_missing_model_file_exits_1_with_the_path()
    {
        var (exitCode, output) = await RunAsync("--model", "/nonexistent/model.gguf", "--port", "0");

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
            var (exitCode, output) = await RunAsync("--model", path, "--port", "0");

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
        var (exitCode, output) = await RunAsync("--provider", "mlx", "--model", "x.gguf");

        Assert.Equal(2, exitCode);
        Assert.Contains("Available providers: huggingface", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_documents_every_flag()
    {
        var (exitCode, output) = await RunAsync("--help");

        Assert.Equal(0, exitCode);
        foreach (var flag in new[] { "--provider", "--model", "--host", "--port", "--ctx-size", "--threads", "--batch-size",
                     "--parallel", "--max-queue", "--chat-template", "--chat-template-file", "--alias", "--log-level", "--hf-file" })
        {
            Assert.Contains(flag, output, StringComparison.Ordinal);
        }

        Assert.Contains("ABSTRACTENDPOINT_PORT", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "abstractcore-endpoint.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in new[] { "ABSTRACTENDPOINT_PROVIDER", "ABSTRACTENDPOINT_MODEL", "ABSTRACTENDPOINT_HOST", "ABSTRACTENDPOINT_PORT" })
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("abstractcore-endpoint did not exit within 60 s");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}

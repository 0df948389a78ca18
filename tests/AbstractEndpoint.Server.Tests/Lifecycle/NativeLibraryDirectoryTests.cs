using System.Net;
using System.Net.Http.Json;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Lifecycle;

/// <summary>
/// <c>--llama-native-dir</c> in the real process: a directory that is not a llama.cpp build stops the server with the
/// reason (never a crash, never a silent fall-back to the packaged libraries); a real build (here the packaged AVX2
/// CPU build, copied out as a user's own build would be) is loaded, named in the log, and serves.
/// </summary>
public sealed class NativeLibraryDirectoryTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("llama-native-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task A_directory_that_does_not_exist_is_a_usage_error()
    {
        var missing = Path.Combine(_directory.FullName, "nowhere");

        var (exitCode, output) = await ServerProcess.RunToExitAsync(["--model", TestModels.Synthetic, "--port", "0", "--llama-native-dir", missing]);

        Assert.Equal(2, exitCode);
        Assert.Contains($"--llama-native-dir '{missing}' does not exist", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_directory_without_libllama_stops_the_server_saying_what_it_needs()
    {
        var (exitCode, output) = await ServerProcess.RunToExitAsync(
            ["--model", TestModels.Synthetic, "--port", "0", "--llama-native-dir", _directory.FullName]);

        Assert.Equal(1, exitCode);
        Assert.Contains($"--llama-native-dir '{_directory.FullName}' has no libllama.so", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_a_library_stops_the_server_with_the_loader_s_reason()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory.FullName, "libllama.so"), "not a shared library");

        var (exitCode, output) = await ServerProcess.RunToExitAsync(
            ["--model", TestModels.Synthetic, "--port", "0", "--llama-native-dir", _directory.FullName]);

        Assert.Equal(1, exitCode);
        Assert.Contains("libllama.so could not be loaded", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_llama_cpp_build_in_the_directory_is_loaded_named_and_serves()
    {
        var packaged = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "avx2");
        Skip.IfNot(OperatingSystem.IsLinux() && Directory.Exists(packaged), "needs the packaged linux-x64 AVX2 libraries");
        foreach (var file in Directory.EnumerateFiles(packaged))
        {
            File.Copy(file, Path.Combine(_directory.FullName, Path.GetFileName(file)));
        }

        var port = ServerProcess.FreePort();
        using var process = ServerProcess.Start(
            ["--model", TestModels.Synthetic, "--port", ServerProcess.Text(port), "--threads", "1", "--llama-native-dir", _directory.FullName]);
        var output = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            await ServerProcess.WaitForHealthAsync(http);
            using var chat = await http.PostAsJsonAsync(new Uri("v1/chat/completions", UriKind.Relative), new Dictionary<string, object>
            {
                ["model"] = "",
                ["max_tokens"] = 3,
                ["messages"] = new[] { new Dictionary<string, string> { ["role"] = "user", ["content"] = "Hi" } },
            });
            Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var log = string.Concat(await output);
        Assert.Contains($"llama.cpp: libraries from {_directory.FullName}", log, StringComparison.Ordinal);
        Assert.Contains("devices: CPU", log, StringComparison.Ordinal);
    }
}

using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using AbstractEndpoint.Server.Tests.Infrastructure;
using AbstractEndpoint.TestSupport;

namespace AbstractEndpoint.Server.Tests.Docs;

/// <summary>The README's first command works on a fresh clone: its model ships in the repository and serves.</summary>
public sealed partial class ReadmeTests
{
    [Fact]
    public void The_first_commands_model_is_a_GGUF_file_in_the_repository()
    {
        var path = Path.Combine(SharedAssets.RepositoryRoot, FirstCommandModel());

        Assert.True(File.Exists(path), $"{path} is missing");
        Assert.StartsWith(Path.GetFullPath(SharedAssets.RepositoryRoot), Path.GetFullPath(path), StringComparison.Ordinal);
        var magic = new byte[4];
        using (var file = File.OpenRead(path))
        {
            file.ReadExactly(magic);
        }

        Assert.Equal("GGUF", Encoding.ASCII.GetString(magic));
    }

    [Fact]
    public async Task The_first_command_serves_a_chat_completion_from_the_repository_root()
    {
        var port = ServerProcess.FreePort();
        using var process = ServerProcess.Start(
            ["--model", FirstCommandModel(), "--port", ServerProcess.Text(port), "--threads", "1"], workingDirectory: SharedAssets.RepositoryRoot);
        var output = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            await ServerProcess.WaitForHealthAsync(http);
            using var content = new StringContent(
                "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}],\"max_tokens\":8}", Encoding.UTF8, "application/json");
            using var reply = await http.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), content);

            Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
            Assert.Contains("\"finish_reason\"", await reply.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            await output;
        }
    }

    /// <summary>The <c>--model</c> value of the first line of the README's first code block.</summary>
    private static string FirstCommandModel()
    {
        var readme = File.ReadAllText(Path.Combine(SharedAssets.RepositoryRoot, "README.md"));
        var firstBlock = FirstCodeBlock().Match(readme);
        Assert.True(firstBlock.Success, "README.md has no code block");
        var firstLine = firstBlock.Groups["body"].Value.Split('\n')[0];
        Assert.StartsWith("dotnet run --project src/AbstractEndpoint.Host", firstLine, StringComparison.Ordinal);
        var model = ModelArgument().Match(firstLine);
        Assert.True(model.Success, $"the README's first command names no --model: {firstLine}");
        return model.Groups["path"].Value;
    }

    [GeneratedRegex(@"```[a-z]*\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex FirstCodeBlock();

    [GeneratedRegex(@"--model\s+(?<path>\S+)")]
    private static partial Regex ModelArgument();
}

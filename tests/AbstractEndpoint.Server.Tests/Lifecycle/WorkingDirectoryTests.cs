using System.Net;
using System.Net.Sockets;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Lifecycle;

/// <summary>
/// The server reads no configuration it was not given: an appsettings.json in the working directory (whose Kestrel
/// section ASP.NET Core would otherwise let override --host/--port) and ASPNETCORE_URLS are ignored. Run as a child
/// process with its own working directory, since changing the test process's directory would race other tests.
/// </summary>
public sealed class WorkingDirectoryTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("endpoint-cwd-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task An_appsettings_json_and_ASPNETCORE_URLS_do_not_move_the_server()
    {
        var port = ServerProcess.FreePort();
        var decoy = ServerProcess.FreePort();
        var decoyVariable = ServerProcess.FreePort();
        await File.WriteAllTextAsync(Path.Combine(_dir.FullName, "appsettings.json"), $$"""
            {
              "Kestrel": { "Endpoints": { "Http": { "Url": "http://127.0.0.1:{{decoy}}" } } },
              "urls": "http://127.0.0.1:{{decoy}}",
              "Logging": { "LogLevel": { "Default": "None" } }
            }
            """);

        using var process = ServerProcess.Start(
            ["--model", TestModels.Synthetic, "--port", ServerProcess.Text(port), "--threads", "1"],
            new Dictionary<string, string> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{decoyVariable}" },
            workingDirectory: _dir.FullName);
        var output = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            await ServerProcess.WaitForHealthAsync(http);
            using var health = await http.GetAsync(new Uri("health", UriKind.Relative));

            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.False(await IsListeningAsync(decoy), "the server listens where appsettings.json said");
            Assert.False(await IsListeningAsync(decoyVariable), "the server listens where ASPNETCORE_URLS said");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        // The file's "Logging" section would have silenced the log, so the usual lines prove it was not read.
        Assert.Contains("ready", string.Concat(await output), StringComparison.Ordinal);
    }

    private static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

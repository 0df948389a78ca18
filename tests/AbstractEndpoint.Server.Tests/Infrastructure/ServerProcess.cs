using System.Diagnostics;
using System.Globalization;

namespace AbstractEndpoint.Server.Tests.Infrastructure;

/// <summary>The real <c>abstractcore-endpoint</c> executable run as a child process, as a user runs it.</summary>
public static class ServerProcess
{
    /// <summary>Starts the server with redirected output; the caller reads it and ends the process.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="environment">Variables to set; the test process's own ABSTRACTENDPOINT_* variables never leak in.</param>
    /// <param name="workingDirectory">The server's working directory; the test's when null.</param>
    public static Process Start(
        IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "abstractcore-endpoint.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Every setting has a variable; one set in the test's environment would change what the test runs.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("ABSTRACTENDPOINT_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return Process.Start(start)!;
    }

    /// <summary>Runs the command to its end (60 s at most) and returns its exit code and all it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(
        IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(args, environment);
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

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Polls <c>/health</c> until it answers 200 (30 s at most).</summary>
    public static async Task WaitForHealthAsync(HttpClient http)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            try
            {
                using var health = await http.GetAsync(new Uri("health", UriKind.Relative));
                if (health.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("the server did not become healthy");
    }
}

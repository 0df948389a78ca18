using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AbstractEndpoint.Bench.Load;

/// <summary>
/// A server started by the benchmark as a child process on a free local port, its output kept in a log file, ready
/// once <c>/health</c> answers 200. Disposing kills it (with its children).
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ServerProcess(string label, Process process, StreamWriter log, int port, string logPath)
    {
        Label = label;
        _process = process;
        _log = log;
        Port = port;
        LogPath = logPath;
    }

    public string Label { get; }

    public int Port { get; }

    public string LogPath { get; }

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/v1");

    /// <summary>A port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Starts <paramref name="fileName"/> (a <c>.dll</c> runs under <c>dotnet</c>) with <paramref name="arguments"/>,
    /// which must make it listen on <paramref name="port"/>, and waits until it is healthy.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(
        string label, string fileName, IEnumerable<string> arguments, int port, string logPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo
        {
            FileName = fileName.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? "dotnet" : fileName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (fileName.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(fileName);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logPath))!);
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new IOException($"{label}: could not start {fileName}");
        var server = new ServerProcess(label, process, log, port, logPath);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (process.HasExited)
            {
                await server.DisposeAsync();
                throw new IOException($"{label} exited with code {process.ExitCode} before it was ready; see {logPath}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            await Task.Delay(250, cancellationToken);
        }

        await server.DisposeAsync();
        throw new IOException($"{label} was not healthy after {timeout.TotalSeconds:F0} s; see {logPath}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // The last lines of a killed process arrive after the log was closed.
            }
        }
    }
}

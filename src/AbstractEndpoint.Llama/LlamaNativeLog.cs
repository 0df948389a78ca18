using System.Collections.Concurrent;
using LLama.Native;
using Microsoft.Extensions.Logging;

namespace AbstractEndpoint.Llama;

/// <summary>
/// Routes llama.cpp's own log lines into our logger (debug level: they are chatty) and keeps the last warnings
/// and errors, because a failed load only tells its reason there ("unknown model architecture", "failed to
/// allocate buffer"…).
/// </summary>
internal static partial class LlamaNativeLog
{
    private static readonly ConcurrentQueue<string> RecentProblems = new();
    private static readonly Lock Gate = new();
    private static ILogger? _logger;
    private static bool _configured;

    // llama.cpp logs from the thread that made the call, so a capture on this thread sees only its own call's lines.
    [ThreadStatic]
    private static List<string>? _captured;

    /// <summary>Must run before the first native call; later calls are no-ops.</summary>
    public static void Configure(ILogger logger)
    {
        _logger = logger;

        // Under a lock, so a second model loading at the same time cannot make the first native call (which freezes
        // LLamaSharp's configuration) between our check and our setting.
        lock (Gate)
        {
            if (_configured)
            {
                return;
            }

            NativeLibraryConfig.All.WithLogCallback(OnNativeLog);
            _configured = true;
        }
    }

    /// <summary>The recent warnings and errors, oldest first, for an error message.</summary>
    public static string RecentProblemsText() => string.Join(" | ", RecentProblems.Select(s => s.Trim()));

    public static void ClearRecentProblems() => RecentProblems.Clear();

    /// <summary>
    /// Runs <paramref name="call"/> and returns it with the warnings and errors llama.cpp logged on this thread
    /// meanwhile (how it says why a grammar does not parse).
    /// </summary>
    public static (T Result, string Problems) Capture<T>(Func<T> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var outer = _captured;
        _captured = [];
        try
        {
            var result = call();
            return (result, string.Join(" ", _captured.Select(line => line.Trim()).Where(line => line.Length > 0)));
        }
        finally
        {
            _captured = outer;
        }
    }

    private static void OnNativeLog(LLamaLogLevel level, string message)
    {
        if (level is LLamaLogLevel.Warning or LLamaLogLevel.Error && !string.IsNullOrWhiteSpace(message))
        {
            _captured?.Add(message);
            RecentProblems.Enqueue(message);
            while (RecentProblems.Count > 8 && RecentProblems.TryDequeue(out _))
            {
            }
        }

        if (_logger is { } logger && !string.IsNullOrWhiteSpace(message))
        {
            LogNative(logger, message.TrimEnd());
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "llama.cpp: {Message}")]
    private static partial void LogNative(ILogger logger, string message);
}

using System.Diagnostics;

namespace AbstractEndpoint.Hub;

/// <summary>
/// Turns a stream of "n more bytes" into throttled <see cref="DownloadProgress"/> reports for one file, across
/// all attempts of this run, so a progress bar neither floods the terminal nor counts resumed bytes as speed.
/// </summary>
internal sealed class DownloadProgressTracker
{
    private static readonly TimeSpan ReportInterval = TimeSpan.FromMilliseconds(100);

    private readonly IProgress<DownloadProgress>? _progress;
    private readonly string _fileName;
    private readonly int _fileIndex;
    private readonly int _fileCount;
    private readonly long? _totalBytes;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _position;
    private long _receivedThisRun;
    private long? _resumedFrom;
    private TimeSpan _lastReport = TimeSpan.MinValue;

    public DownloadProgressTracker(
        IProgress<DownloadProgress>? progress, string fileName, int fileIndex, int fileCount, long? totalBytes)
    {
        _progress = progress;
        _fileName = fileName;
        _fileIndex = fileIndex;
        _fileCount = fileCount;
        _totalBytes = totalBytes;
    }

    /// <summary>An attempt starts writing at <paramref name="position"/> (0 when restarting from scratch).</summary>
    public void StartAttempt(long position)
    {
        _position = position;
        _resumedFrom ??= position;
        Report(isComplete: false, force: true);
    }

    public void Advance(int bytes)
    {
        _position += bytes;
        _receivedThisRun += bytes;
        Report(isComplete: false, force: false);
    }

    public void Complete(long length)
    {
        _position = length;
        Report(isComplete: true, force: true);
    }

    private void Report(bool isComplete, bool force)
    {
        if (_progress is null)
        {
            return;
        }

        var now = _clock.Elapsed;
        if (!force && now - _lastReport < ReportInterval)
        {
            return;
        }

        _lastReport = now;
        _progress.Report(new DownloadProgress
        {
            FileName = _fileName,
            FileIndex = _fileIndex,
            FileCount = _fileCount,
            BytesDownloaded = _position,
            TotalBytes = _totalBytes,
            ResumedFromBytes = _resumedFrom ?? 0,
            BytesPerSecond = now.TotalSeconds > 0 ? _receivedThisRun / now.TotalSeconds : 0,
            IsComplete = isComplete,
        });
    }
}

using System.Globalization;
using System.Text;

namespace AbstractEndpoint.Hub;

/// <summary>
/// Draws download progress as text: one line redrawn in place with <c>\r</c> on a terminal, or a plain line
/// every few seconds when the output is a log file or a pipe (where carriage returns would make a mess).
/// </summary>
public sealed class DownloadProgressPrinter : IProgress<DownloadProgress>
{
    private const int BarWidth = 24;
    private const int MaxNameLength = 48;

    private readonly TextWriter _writer;
    private readonly bool _redraw;
    private readonly TimeSpan _lineInterval;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private string? _currentFile;
    private DateTimeOffset _lastLineAt;
    private int _drawnWidth;

    /// <param name="writer">Where to draw, typically <see cref="Console.Error"/>.</param>
    /// <param name="redraw">True to redraw one line with <c>\r</c> (a terminal); false to append lines.</param>
    /// <param name="lineInterval">In append mode, the pause between lines for the same file (default 5 s).</param>
    /// <param name="timeProvider">Clock for the append-mode interval; tests pass a manual one.</param>
    public DownloadProgressPrinter(TextWriter writer, bool redraw, TimeSpan? lineInterval = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _redraw = redraw;
        _lineInterval = lineInterval ?? TimeSpan.FromSeconds(5);
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>A printer on stderr that redraws when stderr is a terminal and appends lines otherwise.</summary>
    public static DownloadProgressPrinter ForStandardError() => new(Console.Error, redraw: !Console.IsErrorRedirected);

    public void Report(DownloadProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            if (_redraw)
            {
                Redraw(value);
            }
            else
            {
                AppendLine(value);
            }

            _writer.Flush();
        }
    }

    /// <summary>
    /// <c>[1/2] name.gguf  42.0%  1234.5/2930.1 MB  12.3 MB/s  ETA 2:13</c>, with a bar after the name when
    /// <paramref name="withBar"/> is set.
    /// </summary>
    public static string Format(DownloadProgress progress, bool withBar)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var line = new StringBuilder();
        if (progress.FileCount > 1)
        {
            line.Append(CultureInfo.InvariantCulture, $"[{progress.FileIndex}/{progress.FileCount}] ");
        }

        line.Append(ShortName(progress.FileName));
        if (withBar && progress.Fraction is { } barFraction)
        {
            var filled = (int)Math.Round(barFraction * BarWidth);
            line.Append(" [").Append('#', filled).Append('-', BarWidth - filled).Append(']');
        }

        if (progress.Fraction is { } fraction)
        {
            line.Append(CultureInfo.InvariantCulture, $"  {fraction * 100,5:0.0}%");
        }

        line.Append("  ").Append(Megabytes(progress.BytesDownloaded));
        if (progress.TotalBytes is { } total)
        {
            line.Append('/').Append(Megabytes(total));
        }

        line.Append(" MB");
        line.Append(CultureInfo.InvariantCulture, $"  {progress.BytesPerSecond / 1e6:0.0} MB/s");
        if (progress.IsComplete)
        {
            line.Append("  done");
        }
        else if (progress.EstimatedRemaining is { } remaining)
        {
            line.Append("  ETA ").Append(Duration(remaining));
        }

        return line.ToString();
    }

    private void Redraw(DownloadProgress value)
    {
        if (_currentFile is not null && _currentFile != value.FileName && _drawnWidth > 0)
        {
            _writer.WriteLine(); // The previous file's line stopped without completing; keep it visible.
            _drawnWidth = 0;
        }

        _currentFile = value.FileName;
        var line = Format(value, withBar: true);
        _writer.Write('\r');
        _writer.Write(line);
        if (line.Length < _drawnWidth)
        {
            _writer.Write(new string(' ', _drawnWidth - line.Length)); // Erase the tail of a longer earlier line.
        }

        _drawnWidth = Math.Max(line.Length, _drawnWidth);
        if (value.IsComplete)
        {
            _writer.WriteLine();
            _drawnWidth = 0;
            _currentFile = null;
        }
    }

    private void AppendLine(DownloadProgress value)
    {
        var now = _time.GetUtcNow();
        var isNewFile = _currentFile != value.FileName;
        if (!isNewFile && !value.IsComplete && now - _lastLineAt < _lineInterval)
        {
            return;
        }

        var line = Format(value, withBar: false);
        if (isNewFile && value.ResumedFromBytes > 0 && !value.IsComplete)
        {
            line += $"  (resuming at {Megabytes(value.ResumedFromBytes)} MB)";
        }

        _writer.WriteLine(line);
        _lastLineAt = now;
        _currentFile = value.IsComplete ? null : value.FileName;
    }

    private static string ShortName(string fileName)
    {
        var name = fileName.Length <= MaxNameLength ? fileName : "…" + fileName[^(MaxNameLength - 1)..];
        return name;
    }

    private static string Megabytes(long bytes) => (bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan span) =>
        span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}:{span.Seconds:00}");
}

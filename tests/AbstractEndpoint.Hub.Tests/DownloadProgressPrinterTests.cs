namespace AbstractEndpoint.Hub.Tests;

public sealed class DownloadProgressPrinterTests
{
    private static DownloadProgress At(long bytes, bool complete = false) => new()
    {
        FileName = "model-Q4_K_M.gguf",
        FileIndex = 1,
        FileCount = 1,
        BytesDownloaded = bytes,
        TotalBytes = 2_000_000_000,
        BytesPerSecond = 10_000_000,
        IsComplete = complete,
    };

    [Fact]
    public void Format_shows_percent_megabytes_rate_and_eta() =>
        Assert.Equal(
            "model-Q4_K_M.gguf   25.0%  500.0/2000.0 MB  10.0 MB/s  ETA 2:30",
            DownloadProgressPrinter.Format(At(500_000_000), withBar: false));

    [Fact]
    public void Terminal_mode_redraws_one_line_and_ends_it_when_complete()
    {
        using var output = new StringWriter();
        var printer = new DownloadProgressPrinter(output, redraw: true);

        printer.Report(At(500_000_000));
        printer.Report(At(2_000_000_000, complete: true));

        var text = output.ToString();
        Assert.Equal(2, text.Count(c => c == '\r'));
        Assert.EndsWith(Environment.NewLine, text, StringComparison.Ordinal);
        Assert.EndsWith("done", text.TrimEnd(), StringComparison.Ordinal); // Padded with spaces over the longer line.
        Assert.Contains("[######------------------]", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Log_mode_prints_a_line_per_interval_and_the_final_line()
    {
        using var output = new StringWriter();
        var clock = new ManualTimeProvider();
        var printer = new DownloadProgressPrinter(output, redraw: false, TimeSpan.FromSeconds(5), clock);

        printer.Report(At(100_000_000));
        clock.Advance(TimeSpan.FromSeconds(1));
        printer.Report(At(200_000_000)); // Too soon: skipped.
        clock.Advance(TimeSpan.FromSeconds(5));
        printer.Report(At(300_000_000));
        printer.Report(At(2_000_000_000, complete: true));

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.DoesNotContain('\r', output.ToString());
        Assert.Contains("100.0/2000.0 MB", lines[0], StringComparison.Ordinal);
        Assert.Contains("300.0/2000.0 MB", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("done", lines[2], StringComparison.Ordinal);
    }

    private sealed class ManualTimeProvider : TimeProvider
    {
        private DateTimeOffset _now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}

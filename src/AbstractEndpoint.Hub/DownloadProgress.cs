namespace AbstractEndpoint.Hub;

/// <summary>A snapshot of one file's download, reported through <see cref="IProgress{T}"/>.</summary>
public sealed record DownloadProgress
{
    /// <summary>The file's path inside the repository.</summary>
    public required string FileName { get; init; }

    /// <summary>1-based position of this file among the files being downloaded (split models have several).</summary>
    public required int FileIndex { get; init; }

    /// <summary>How many files this resolution downloads.</summary>
    public required int FileCount { get; init; }

    /// <summary>Bytes of the file on disk so far, including any resumed prefix.</summary>
    public required long BytesDownloaded { get; init; }

    /// <summary>The file's size as the hub reports it, when known.</summary>
    public long? TotalBytes { get; init; }

    /// <summary>Bytes already on disk from an earlier, interrupted attempt when this attempt started.</summary>
    public long ResumedFromBytes { get; init; }

    /// <summary>Average transfer rate of the bytes received in this run.</summary>
    public double BytesPerSecond { get; init; }

    /// <summary>True on the last report for the file, after it was verified.</summary>
    public bool IsComplete { get; init; }

    /// <summary>Completed fraction in [0, 1], or null when the size is unknown.</summary>
    public double? Fraction => TotalBytes is > 0 ? Math.Clamp((double)BytesDownloaded / TotalBytes.Value, 0, 1) : null;

    /// <summary>Time left at the current rate, or null when it cannot be estimated.</summary>
    public TimeSpan? EstimatedRemaining =>
        TotalBytes is { } total && BytesPerSecond > 0 && total >= BytesDownloaded
            ? TimeSpan.FromSeconds((total - BytesDownloaded) / BytesPerSecond)
            : null;
}

using AbstractEndpoint.Engine.Scheduling;

namespace AbstractEndpoint.Engine.Tests.Support;

/// <summary>Reads a job's events with a timeout on every wait, so a scheduler bug fails a test instead of hanging it.</summary>
public static class JobEventReader
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>The next event, or null once the stream has completed.</summary>
    public static async Task<JobEvent?> NextAsync(this GenerationJob job)
    {
        while (await job.Events.WaitToReadAsync().AsTask().WaitAsync(Timeout))
        {
            if (job.Events.TryRead(out var item))
            {
                return item;
            }
        }

        return null;
    }

    /// <summary>Waits for the next text event and returns it; fails if the job ends first.</summary>
    public static async Task<string> NextTextAsync(this GenerationJob job)
    {
        var item = await job.NextAsync();
        return item is JobText text ? text.Text : throw new Xunit.Sdk.XunitException($"Expected text, got {item?.ToString() ?? "the end of the stream"}.");
    }

    /// <summary>Reads until the stream completes.</summary>
    public static async Task<JobOutcome> CollectAsync(this GenerationJob job)
    {
        var pieces = new List<string>();
        JobFinished? finished = null;
        JobFailed? failed = null;
        while (await job.NextAsync() is { } item)
        {
            switch (item)
            {
                case JobText text:
                    Assert.True(finished is null && failed is null, "text after the end of the job");
                    pieces.Add(text.Text);
                    break;
                case JobFinished f:
                    Assert.True(finished is null && failed is null, "two endings for one job");
                    finished = f;
                    break;
                case JobFailed f:
                    Assert.True(finished is null && failed is null, "two endings for one job");
                    failed = f;
                    break;
            }
        }

        return new JobOutcome(pieces, finished, failed);
    }
}

using AbstractEndpoint.Engine.Scheduling;

namespace AbstractEndpoint.Engine.Tests.Support;

/// <summary>A multi-choice job's events, split per choice.</summary>
public sealed record ChoiceOutcomes(IReadOnlyList<string> Texts, IReadOnlyList<JobFinished> Finishes, JobFailed? Failed)
{
    public static async Task<ChoiceOutcomes> CollectAsync(GenerationJob job)
    {
        var texts = Enumerable.Range(0, job.Choices).Select(_ => "").ToArray();
        var finishes = new List<JobFinished>();
        JobFailed? failed = null;
        while (await job.NextAsync() is { } item)
        {
            switch (item)
            {
                case JobText text:
                    Assert.DoesNotContain(finishes, f => f.Choice == text.Choice);
                    texts[text.Choice] += text.Text;
                    break;
                case JobFinished finished:
                    Assert.DoesNotContain(finishes, f => f.Choice == finished.Choice);
                    finishes.Add(finished);
                    break;
                case JobFailed f:
                    failed = f;
                    break;
            }
        }

        return new ChoiceOutcomes(texts, finishes, failed);
    }
}

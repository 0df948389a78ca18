using System.Text;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.Engine.Tests.Fakes;
using AbstractEndpoint.Engine.Tests.Support;

namespace AbstractEndpoint.Engine.Tests.Sampling;

/// <summary>
/// Log-probability entries travel with the text that contains their token: through the UTF-8 piece decoder
/// (a token that only starts a character waits for the one that ends it) and the stop-sequence matcher (held-back
/// tokens follow with the released text; tokens the stop swallows are dropped).
/// </summary>
public sealed class LogprobAlignmentTests : IDisposable
{
    private static readonly int[] Prompt = FakeVocabulary.BytesOf("Tell me");

    private readonly LoopHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private async Task<(List<JobText> Texts, JobFinished Finished)> ReplyAsync(
        IReadOnlyList<string> stops, int? topLogprobs, int maxNewTokens, params byte[][] pieces)
    {
        var tokens = pieces.Select(_harness.Vocabulary.Define).ToArray();
        _harness.Runtime.NextToken = ScriptedModel.Reply(Prompt.Length, tokens);
        var job = new GenerationJob
        {
            PromptTokens = Prompt,
            Sampling = new SamplingOptions { Temperature = 0, TopLogprobs = topLogprobs },
            MaxNewTokens = maxNewTokens,
            StopSequences = stops,
        };
        _harness.Loop.Submit(job);
        var texts = new List<JobText>();
        JobFinished? finished = null;
        while (await job.NextAsync() is { } item)
        {
            switch (item)
            {
                case JobText text:
                    texts.Add(text);
                    break;
                case JobFinished end:
                    finished = end;
                    break;
                case JobFailed failed:
                    throw new Xunit.Sdk.XunitException("job failed: " + failed.Error);
            }
        }

        return (texts, finished ?? throw new Xunit.Sdk.XunitException("the job did not finish"));
    }

    private static byte[][] Utf8(params string[] pieces) => [.. pieces.Select(Encoding.UTF8.GetBytes)];

    private static string EntryText(JobText text) =>
        Encoding.UTF8.GetString([.. (text.Logprobs ?? []).SelectMany(e => e.Bytes)]);

    [Fact]
    public async Task Every_piece_of_text_carries_exactly_the_tokens_that_form_it()
    {
        var (texts, finished) = await ReplyAsync([], 2, 100, Utf8("Hel", "lo", ", ", "world"));

        Assert.Equal("Hello, world", string.Concat(texts.Select(t => t.Text)));
        Assert.All(texts, t => Assert.Equal(t.Text, EntryText(t)));
        Assert.Equal(finished.Usage.CompletionTokens, texts.Sum(t => t.Logprobs!.Count));
    }

    [Fact]
    public async Task A_character_split_across_tokens_brings_both_tokens_with_it()
    {
        var emoji = Encoding.UTF8.GetBytes("😀");
        var (texts, _) = await ReplyAsync([], 0, 100, Encoding.UTF8.GetBytes("a"), emoji[..2], emoji[2..], Encoding.UTF8.GetBytes("!"));

        Assert.Equal(["a", "😀", "!"], texts.Select(t => t.Text));
        Assert.Equal([1, 2, 1], texts.Select(t => t.Logprobs!.Count));
        Assert.Equal(emoji, texts[1].Logprobs!.SelectMany(e => e.Bytes));
        Assert.All(texts, t => Assert.Equal(t.Text, EntryText(t)));
    }

    [Fact]
    public async Task Tokens_held_back_as_a_possible_stop_follow_with_the_released_text()
    {
        var (texts, _) = await ReplyAsync(["STOP"], 1, 100, Utf8("go ", "ST", "ART", " ok"));

        Assert.Equal(["go ", "START", " ok"], texts.Select(t => t.Text));
        Assert.Equal(["go ", "ST|ART", " ok"], texts.Select(t => string.Join('|', t.Logprobs!.Select(e => e.Token))));
    }

    [Fact]
    public async Task Tokens_swallowed_by_a_stop_sequence_are_dropped()
    {
        var (texts, finished) = await ReplyAsync(["STOP"], 1, 100, Utf8("Hel", "lo ", "ST", "OP", " never"));

        Assert.Equal("Hello ", string.Concat(texts.Select(t => t.Text)));
        Assert.Equal(["Hel", "lo "], texts.SelectMany(t => t.Logprobs ?? []).Select(e => e.Token));
        Assert.Equal(4, finished.Usage.CompletionTokens); // computed, so counted, but never shown
    }

    [Fact]
    public async Task A_token_cut_by_a_stop_inside_it_goes_with_the_text_before_the_stop()
    {
        var (texts, _) = await ReplyAsync(["\n\n"], 1, 100, Utf8("One", " two\n\nthree", " four"));

        Assert.Equal("One two", string.Concat(texts.Select(t => t.Text)));
        Assert.Equal(["One", " two\n\nthree"], texts.SelectMany(t => t.Logprobs ?? []).Select(e => e.Token));
    }

    [Fact]
    public async Task Text_held_when_max_tokens_cuts_the_reply_is_released_with_its_tokens()
    {
        var (texts, finished) = await ReplyAsync(["STOP"], 1, 2, Utf8("cut ", "ST", "never"));

        Assert.Equal(FinishReason.Length, finished.Reason);
        Assert.Equal("cut ST", string.Concat(texts.Select(t => t.Text)));
        Assert.Equal(["cut ", "ST"], texts.SelectMany(t => t.Logprobs ?? []).Select(e => e.Token));
    }

    [Fact]
    public async Task Values_are_the_log_softmax_of_the_logits_with_the_alternatives_sorted()
    {
        var (texts, _) = await ReplyAsync([], 3, 100, Utf8("x"));

        var entry = Assert.Single(Assert.Single(texts).Logprobs!);
        var others = _harness.Vocabulary.VocabularySize - 2;
        var logSum = Math.Log(Math.Exp(FakeSampler.PredictedLogit) + Math.Exp(FakeSampler.RunnerUpLogit) + others);
        Assert.Equal(FakeSampler.PredictedLogit - logSum, entry.Logprob, 4);
        Assert.Equal(3, entry.TopLogprobs.Count);
        Assert.Equal("x", entry.TopLogprobs[0].Token);
        Assert.Equal(entry.Logprob, entry.TopLogprobs[0].Logprob);
        Assert.Equal("_", entry.TopLogprobs[1].Token);
        Assert.Equal(FakeSampler.RunnerUpLogit - logSum, entry.TopLogprobs[1].Logprob, 4);
        Assert.True(entry.TopLogprobs.Zip(entry.TopLogprobs.Skip(1)).All(p => p.First.Logprob >= p.Second.Logprob));
        Assert.All(entry.TopLogprobs, t => Assert.True(t.Logprob <= 0));
    }

    [Fact]
    public async Task Without_logprobs_no_entries_are_made()
    {
        var (texts, _) = await ReplyAsync([], null, 100, Utf8("Hel", "lo"));

        Assert.Equal("Hello", string.Concat(texts.Select(t => t.Text)));
        Assert.All(texts, t => Assert.Null(t.Logprobs));
    }
}

using System.Text;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Tests.Fakes;
using AbstractEndpoint.Engine.Tests.Support;

namespace AbstractEndpoint.Engine.Tests.Scheduling;

/// <summary>What the loop streams when stop strings and multi-byte characters are split across tokens.</summary>
public sealed class StreamedTextTests : IDisposable
{
    private static readonly int[] Prompt = FakeVocabulary.BytesOf("Tell me");

    private readonly LoopHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private Task<JobOutcome> ReplyAsync(IReadOnlyList<string> stops, params string[] pieces) =>
        ReplyAsync(stops, [.. pieces.Select(p => Encoding.UTF8.GetBytes(p))]);

    private Task<JobOutcome> ReplyAsync(IReadOnlyList<string> stops, params byte[][] pieces)
    {
        var tokens = pieces.Select(_harness.Vocabulary.Define).ToArray();
        _harness.Runtime.NextToken = ScriptedModel.Reply(Prompt.Length, tokens);
        return _harness.RunAsync(Prompt, maxNewTokens: 100, stops);
    }

    [Fact]
    public async Task Stop_sequence_split_across_two_tokens_never_leaks()
    {
        var outcome = await ReplyAsync(["STOP"], "Hel", "lo ", "ST", "OP", " never shown");

        Assert.Equal("Hello ", outcome.Text);
        Assert.DoesNotContain(outcome.Pieces, p => p.Contains('S', StringComparison.Ordinal));
        var finished = outcome.RequireFinished();
        Assert.Equal(FinishReason.Stop, finished.Reason);
        Assert.Equal(4, finished.Usage.CompletionTokens); // the stop's tokens were computed, so they count
    }

    [Fact]
    public async Task Stop_sequence_spanning_three_tokens_never_leaks()
    {
        var outcome = await ReplyAsync(["<end>"], "Done", "<e", "n", "d>", "tail");

        Assert.Equal("Done", outcome.Text);
        Assert.Equal(FinishReason.Stop, outcome.RequireFinished().Reason);
    }

    [Fact]
    public async Task Stop_sequence_inside_one_token_cuts_that_token()
    {
        var outcome = await ReplyAsync(["\n\n"], "One", " two\n\nthree", " four");

        Assert.Equal("One two", outcome.Text);
        Assert.Equal(FinishReason.Stop, outcome.RequireFinished().Reason);
    }

    [Fact]
    public async Task Text_that_only_looked_like_a_stop_is_released()
    {
        var outcome = await ReplyAsync(["STOP"], "ST", "ART", " ok");

        Assert.Equal("START ok", outcome.Text);
        Assert.Equal(FinishReason.Stop, outcome.RequireFinished().Reason); // ended by end-of-generation
    }

    [Fact]
    public async Task Held_stop_prefix_is_released_when_the_reply_ends()
    {
        var outcome = await ReplyAsync(["STOP"], "almost ", "STO");

        Assert.Equal("almost STO", outcome.Text);
    }

    [Fact]
    public async Task Held_stop_prefix_is_released_when_max_tokens_cuts_the_reply()
    {
        var tokens = new[] { "cut ", "ST" }.Select(_harness.Vocabulary.Define).ToArray();
        _harness.Runtime.NextToken = ScriptedModel.Reply(Prompt.Length, tokens);

        var outcome = await _harness.RunAsync(Prompt, maxNewTokens: 2, ["STOP"]);

        Assert.Equal("cut ST", outcome.Text);
        Assert.Equal(FinishReason.Length, outcome.RequireFinished().Reason);
    }

    [Fact]
    public async Task Multi_byte_characters_sent_one_byte_per_token_arrive_whole()
    {
        const string Expected = "é€😀 ok";
        var bytes = Encoding.UTF8.GetBytes(Expected);

        var outcome = await ReplyAsync([], [.. bytes.Select(b => new[] { b })]);

        Assert.Equal(Expected, outcome.Text);
        Assert.All(outcome.Pieces, AssertWholeCharacters);
        Assert.Equal(bytes.Length, outcome.RequireFinished().Usage.CompletionTokens);
    }

    [Fact]
    public async Task Multi_byte_characters_split_unevenly_arrive_whole()
    {
        // "😀" = F0 9F 98 80, "€" = E2 82 AC
        var outcome = await ReplyAsync([], [0xF0], [0x9F, 0x98], [0x80, 0xE2], [0x82], [0xAC, (byte)'!']);

        Assert.Equal("😀€!", outcome.Text);
        Assert.All(outcome.Pieces, AssertWholeCharacters);
    }

    [Fact]
    public async Task Stop_sequence_made_of_multi_byte_characters_split_across_tokens()
    {
        var outcome = await ReplyAsync(["→END"], [(byte)'a', 0xE2], [0x86], [0x92, (byte)'E'], [(byte)'N', (byte)'D'], [(byte)'z']);

        Assert.Equal("a", outcome.Text);
        Assert.Equal(FinishReason.Stop, outcome.RequireFinished().Reason);
    }

    private static void AssertWholeCharacters(string piece)
    {
        Assert.DoesNotContain('\uFFFD', piece);
        for (var i = 0; i < piece.Length; i++)
        {
            if (char.IsHighSurrogate(piece[i]))
            {
                Assert.True(i + 1 < piece.Length && char.IsLowSurrogate(piece[i + 1]), $"split surrogate pair in '{piece}'");
                i++;
            }
            else
            {
                Assert.False(char.IsLowSurrogate(piece[i]), $"lone low surrogate in '{piece}'");
            }
        }
    }
}

using AbstractEndpoint.Engine.Text;

namespace AbstractEndpoint.Engine.Tests.Text;

public sealed class StopSequenceMatcherTests
{
    private static (string Emitted, bool Stopped) Feed(string[] stops, params string[] pieces)
    {
        var matcher = new StopSequenceMatcher(stops);
        var emitted = string.Concat(pieces.Select(matcher.Push));
        var stopped = matcher.Stopped;
        return (emitted + matcher.Flush(), stopped);
    }

    [Fact]
    public void Without_stops_everything_passes_through_at_once()
    {
        var matcher = new StopSequenceMatcher([]);

        Assert.Equal("STOP", matcher.Push("STOP"));
        Assert.Equal("", matcher.Flush());
        Assert.False(matcher.Stopped);
    }

    [Fact]
    public void The_stop_found_earliest_is_reported_as_matched()
    {
        var matcher = new StopSequenceMatcher(["END", "ST"]);

        Assert.Null(matcher.Matched);
        Assert.Equal("a", matcher.Push("aS"));
        Assert.Null(matcher.Matched);
        Assert.Equal("", matcher.Push("T and END"));
        Assert.Equal("ST", matcher.Matched);
    }

    [Fact]
    public void Empty_stop_strings_are_ignored()
    {
        var matcher = new StopSequenceMatcher(["", ""]);

        Assert.Equal("abc", matcher.Push("abc"));
        Assert.False(matcher.Stopped);
    }

    [Fact]
    public void Text_before_the_stop_is_emitted_and_the_rest_dropped()
    {
        Assert.Equal(("Hello ", true), Feed(["STOP"], "Hello STOP and more"));
    }

    [Fact]
    public void Stop_at_the_very_start_emits_nothing()
    {
        var matcher = new StopSequenceMatcher(["<|end|>"]);

        Assert.Equal("", matcher.Push("<|end|>tail"));
        Assert.True(matcher.Stopped);
        Assert.Equal("", matcher.Flush());
    }

    [Fact]
    public void Possible_stop_prefix_is_held_until_the_next_piece_decides()
    {
        var matcher = new StopSequenceMatcher(["STOP"]);

        Assert.Equal("Hi ", matcher.Push("Hi ST"));
        Assert.Equal("", matcher.Push("O"));
        Assert.Equal("", matcher.Push("P!"));
        Assert.True(matcher.Stopped);
    }

    [Fact]
    public void Held_text_is_released_when_the_stop_does_not_complete()
    {
        var matcher = new StopSequenceMatcher(["STOP"]);

        Assert.Equal("a", matcher.Push("aST"));
        Assert.Equal("STAR", matcher.Push("AR"));
        Assert.False(matcher.Stopped);
    }

    [Fact]
    public void Stop_spanning_three_pieces_is_found()
    {
        Assert.Equal(("x", true), Feed(["<end>"], "x<e", "nd", ">y"));
    }

    [Fact]
    public void Flush_releases_held_text_when_the_reply_ends()
    {
        var matcher = new StopSequenceMatcher(["STOP"]);

        Assert.Equal("end ", matcher.Push("end STO"));
        Assert.Equal("STO", matcher.Flush());
        Assert.Equal("", matcher.Flush());
    }

    [Fact]
    public void Earliest_of_several_stops_wins()
    {
        Assert.Equal(("a", true), Feed(["cd", "bc"], "abcd"));
        Assert.Equal(("a", true), Feed(["bc", "cd"], "abcd"));
    }

    [Fact]
    public void Several_stops_each_end_the_text()
    {
        string[] stops = ["\n\n", "User:", "###"];

        Assert.Equal(("one", true), Feed(stops, "one\n", "\ntwo"));
        Assert.Equal(("two ", true), Feed(stops, "two Us", "er: hi"));
        Assert.Equal(("three", true), Feed(stops, "three#", "#", "#"));
        Assert.Equal(("four # ok", false), Feed(stops, "four #", " ok"));
    }

    [Fact]
    public void Overlapping_stop_prefixes_hold_the_longest_candidate()
    {
        var matcher = new StopSequenceMatcher(["abX", "abcY"]);

        Assert.Equal("", matcher.Push("abc")); // "abc" could still become "abcY"
        Assert.Equal("abcZ", matcher.Push("Z"));
        Assert.False(matcher.Stopped);
    }

    [Fact]
    public void Repeated_character_stop_holds_only_the_matching_suffix()
    {
        var matcher = new StopSequenceMatcher(["aab"]);

        Assert.Equal("a", matcher.Push("aaa"));
        Assert.Equal("", matcher.Push("b"));
        Assert.True(matcher.Stopped);
    }

    [Fact]
    public void Input_after_a_stop_is_ignored()
    {
        var matcher = new StopSequenceMatcher(["STOP"]);
        matcher.Push("STOP");

        Assert.Equal("", matcher.Push("more"));
        Assert.Equal("", matcher.Flush());
    }

    [Fact]
    public void Stop_with_non_ascii_characters_is_matched()
    {
        Assert.Equal(("voilà ", true), Feed(["→ fin"], "voilà →", " fin"));
    }
}

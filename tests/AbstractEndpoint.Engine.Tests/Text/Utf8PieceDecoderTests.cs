using System.Text;
using AbstractEndpoint.Engine.Text;

namespace AbstractEndpoint.Engine.Tests.Text;

public sealed class Utf8PieceDecoderTests
{
    public static TheoryData<string> Characters => new() { "a", "é", "€", "😀", "日本", "a😀é€z" };

    [Theory]
    [MemberData(nameof(Characters))]
    public void Every_split_point_yields_the_whole_text_without_replacement_characters(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var split = 0; split <= bytes.Length; split++)
        {
            var decoder = new Utf8PieceDecoder();

            var first = decoder.Add(bytes.AsSpan(0, split));
            var second = decoder.Add(bytes.AsSpan(split));

            Assert.Equal(text, first + second + decoder.Flush());
            Assert.DoesNotContain('\uFFFD', first + second);
        }
    }

    [Theory]
    [MemberData(nameof(Characters))]
    public void One_byte_at_a_time_releases_each_character_when_its_last_byte_arrives(string text)
    {
        var decoder = new Utf8PieceDecoder();
        var output = new StringBuilder();
        var pending = new List<byte>();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            pending.Add(b);
            var piece = decoder.Add([b]);
            var complete = IsComplete(pending);
            Assert.Equal(complete ? Encoding.UTF8.GetString([.. pending]) : "", piece);
            if (complete)
            {
                pending.Clear();
            }

            output.Append(piece);
        }

        Assert.Equal(text, output.ToString());
        Assert.Equal("", decoder.Flush());
    }

    [Fact]
    public void Empty_piece_yields_nothing_and_keeps_pending_bytes()
    {
        var decoder = new Utf8PieceDecoder();

        Assert.Equal("", decoder.Add([0xE2, 0x82]));
        Assert.Equal("", decoder.Add([]));
        Assert.Equal("€", decoder.Add([0xAC]));
    }

    [Fact]
    public void Invalid_byte_becomes_one_replacement_character()
    {
        var decoder = new Utf8PieceDecoder();

        Assert.Equal("a\uFFFDb", decoder.Add([(byte)'a', 0xFF, (byte)'b']));
    }

    [Fact]
    public void Stray_continuation_byte_becomes_a_replacement_character()
    {
        var decoder = new Utf8PieceDecoder();

        Assert.Equal("\uFFFDx", decoder.Add([0x80, (byte)'x']));
    }

    [Fact]
    public void Interrupted_sequence_is_replaced_and_the_next_character_survives()
    {
        var decoder = new Utf8PieceDecoder();

        Assert.Equal("", decoder.Add([0xF0, 0x9F]));
        Assert.Equal("\uFFFDA", decoder.Add([(byte)'A']));
    }

    [Fact]
    public void Flush_turns_an_unfinished_sequence_into_a_replacement_character()
    {
        var decoder = new Utf8PieceDecoder();
        decoder.Add([(byte)'o', (byte)'k', 0xE2, 0x82]);

        Assert.Equal("\uFFFD", decoder.Flush());
        Assert.Equal("", decoder.Flush());
    }

    [Fact]
    public void Decoder_is_usable_after_a_flush()
    {
        var decoder = new Utf8PieceDecoder();
        decoder.Add([0xE2]);
        decoder.Flush();

        Assert.Equal("é", decoder.Add([0xC3, 0xA9]));
    }

    [Fact]
    public void Long_piece_after_pending_bytes_is_decoded_whole()
    {
        var decoder = new Utf8PieceDecoder();
        var text = "😀" + new string('x', 500) + "€";
        var bytes = Encoding.UTF8.GetBytes(text);

        var first = decoder.Add(bytes.AsSpan(0, 1));
        var rest = decoder.Add(bytes.AsSpan(1));

        Assert.Equal("", first);
        Assert.Equal(text, rest);
    }

    private static bool IsComplete(List<byte> bytes)
    {
        var expected = bytes[0] switch
        {
            < 0x80 => 1,
            >= 0xF0 => 4,
            >= 0xE0 => 3,
            _ => 2,
        };
        return bytes.Count == expected;
    }
}

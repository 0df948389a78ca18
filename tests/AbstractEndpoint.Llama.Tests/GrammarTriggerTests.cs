using System.Text;

namespace AbstractEndpoint.Llama.Tests;

/// <summary>How a lazy grammar's trigger is found in the output, piece by piece.</summary>
public sealed class GrammarTriggerTests
{
    private const string Hermes = "^[\\s\\S]*?(<tool_call>)[\\s\\S]*$";

    [Fact]
    public void Fires_on_the_piece_that_completes_the_marker_and_returns_the_text_from_the_group_on()
    {
        var trigger = new GrammarTrigger([Hermes]);

        Assert.Null(trigger.Add(Bytes("Let me check. <tool")));
        var constrained = trigger.Add(Bytes("_call>\n{\"na"));

        Assert.Equal("<tool_call>\n{\"na", Encoding.UTF8.GetString(constrained!));
    }

    [Fact]
    public void Text_is_matched_across_split_utf8_characters()
    {
        var trigger = new GrammarTrigger(["^[\\s\\S]*?(é<x>)[\\s\\S]*$"]);
        var bytes = Bytes("café<x>1");

        Assert.Null(trigger.Add(bytes.AsSpan(0, 4))); // "caf" and the first byte of "é"
        Assert.Equal("é<x>1", Encoding.UTF8.GetString(trigger.Add(bytes.AsSpan(4))!));
    }

    [Fact]
    public void A_reasoning_guard_keeps_markers_inside_the_reasoning_from_firing()
    {
        var guarded = "^(?:\\s*<think>[\\s\\S]*?</think>|(?!\\s*<think>))[\\s\\S]*?(<tool_call>)[\\s\\S]*$";
        var trigger = new GrammarTrigger([guarded]);

        Assert.Null(trigger.Add(Bytes("<think>maybe <tool_call> here")));
        Assert.Null(trigger.Add(Bytes("?</think>Now ")));
        Assert.Equal("<tool_call>", Encoding.UTF8.GetString(trigger.Add(Bytes("<tool_call>"))!));
    }

    [Fact]
    public void A_long_output_without_the_marker_is_matched_on_a_small_stack()
    {
        // llama.cpp matches this pattern with std::regex, recursing once per character: measured, a 1 MB stack
        // overflows (killing the process) after about 5,600 characters. Here 60,000 characters pass on 256 KB.
        var fired = false;
        var thread = new Thread(
            () =>
            {
                var trigger = new GrammarTrigger([Hermes]);
                var piece = Bytes("Once upon a time, a <tall> tree grew. ");
                for (var i = 0; i < 60_000 / piece.Length; i++)
                {
                    fired |= trigger.Add(piece) is not null;
                }

                fired |= trigger.Add(Bytes("<tool_call>")) is null;
            },
            maxStackSize: 256 * 1024);
        thread.Start();
        thread.Join();

        Assert.False(fired);
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}

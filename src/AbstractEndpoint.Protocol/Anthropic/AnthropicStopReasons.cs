using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Protocol.Anthropic;

/// <summary>The domain's <see cref="FinishReason"/> as Anthropic's <c>stop_reason</c>.</summary>
public static class AnthropicStopReasons
{
    /// <param name="finished">How the reply ended; a matched stop sequence makes it <c>stop_sequence</c>.</param>
    public static string ToWire(ChatFinished finished) => finished.Reason switch
    {
        FinishReason.Length => "max_tokens",
        FinishReason.ToolCalls => "tool_use",
        _ when finished.StopSequence is not null => "stop_sequence",
        _ => "end_turn",
    };
}

using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>OpenAI's spelling of finish reasons.</summary>
internal static class FinishReasons
{
    public static string ToWire(FinishReason reason) => reason switch
    {
        FinishReason.Stop => "stop",
        FinishReason.Length => "length",
        FinishReason.ToolCalls => "tool_calls",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}

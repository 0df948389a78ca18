using System.Security.Cryptography;

namespace AbstractEndpoint.Protocol.Anthropic;

/// <summary>Ids in Anthropic's style.</summary>
public static class AnthropicIds
{
    public static string NewMessageId() => "msg_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
}

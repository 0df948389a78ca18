using System.Security.Cryptography;

namespace AbstractEndpoint.Protocol.OpenAI.Responses;

/// <summary>Ids in the Responses API's style: a prefix naming the object, then random hex.</summary>
public static class ResponseIds
{
    public static string NewResponseId() => New("resp_");

    public static string NewMessageId() => New("msg_");

    public static string NewFunctionCallId() => New("fc_");

    public static string NewReasoningId() => New("rs_");

    private static string New(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}

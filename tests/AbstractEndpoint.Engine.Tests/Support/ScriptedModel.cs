using AbstractEndpoint.Engine.Tests.Fakes;

namespace AbstractEndpoint.Engine.Tests.Support;

/// <summary>Model functions that make the fake say a chosen reply.</summary>
public static class ScriptedModel
{
    /// <summary>
    /// After a prompt of <paramref name="promptLength"/> tokens the model says <paramref name="reply"/> and then
    /// end-of-generation: a pure function of position, so it holds for one prompt length at a time.
    /// </summary>
    public static Func<int, int, int> Reply(int promptLength, params int[] reply) => (_, position) =>
    {
        var index = position - (promptLength - 1);
        return index >= 0 && index < reply.Length ? reply[index] : FakeVocabulary.Eos;
    };
}

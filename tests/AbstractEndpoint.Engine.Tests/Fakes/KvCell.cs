namespace AbstractEndpoint.Engine.Tests.Fakes;

/// <summary>
/// One KV cell of the fake. A reference type on purpose: after a sequence copy several sequences hold the same
/// cell, as in llama.cpp, and it counts once towards the capacity.
/// </summary>
public sealed class KvCell(int token, int position)
{
    public int Token { get; } = token;

    public int Position { get; } = position;
}

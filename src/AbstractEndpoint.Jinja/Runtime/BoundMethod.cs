using AbstractEndpoint.Jinja.Builtins;

namespace AbstractEndpoint.Jinja.Runtime;

/// <summary>A method looked up on a value (<c>text.split</c>, <c>dict.items</c>, <c>loop.cycle</c>) waiting to be called.</summary>
internal sealed class BoundMethod(object? receiver, string name) : IPyCallable
{
    public object? Receiver { get; } = receiver;

    public string Name { get; } = name;

    public object? Call(RenderSession session, CallArguments arguments) => Methods.Invoke(session, Receiver, Name, arguments);
}

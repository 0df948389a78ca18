namespace AbstractEndpoint.Jinja.Runtime;

/// <summary>A value templates can call: macros, <c>caller</c>, globals, bound methods, recursive loops.</summary>
internal interface IPyCallable
{
    object? Call(RenderSession session, CallArguments arguments);
}

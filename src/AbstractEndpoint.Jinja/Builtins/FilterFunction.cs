using AbstractEndpoint.Jinja.Runtime;

namespace AbstractEndpoint.Jinja.Builtins;

/// <summary>A filter: receives the value left of <c>|</c> and the call's arguments.</summary>
internal delegate object? FilterFunction(RenderSession session, object? value, CallArguments arguments);

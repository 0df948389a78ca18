using AbstractEndpoint.Jinja.Runtime;

namespace AbstractEndpoint.Jinja.Builtins;

/// <summary>A test: receives the value left of <c>is</c> and the test's arguments.</summary>
internal delegate bool TestFunction(RenderSession session, object? value, CallArguments arguments);

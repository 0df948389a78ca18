namespace AbstractEndpoint.Jinja.Runtime;

/// <summary>A global such as <c>range</c>, <c>namespace</c> or <c>raise_exception</c>.</summary>
internal sealed class BuiltinFunction(string name, string pythonTypeName, Func<RenderSession, CallArguments, object?> body) : IPyCallable
{
    public string Name { get; } = name;

    /// <summary>"type" for classes (range, dict, namespace, cycler, joiner), "function" for plain functions.</summary>
    public string PythonTypeName { get; } = pythonTypeName;

    public object? Call(RenderSession session, CallArguments arguments) => body(session, arguments);
}

using AbstractEndpoint.Python;

namespace AbstractEndpoint.Jinja.Values;

/// <summary>
/// Jinja2's default <c>Undefined</c>: prints as empty, is falsy, iterates as empty; any other use raises an error whose
/// message says how the value was reached (a missing name, attribute or element), as Jinja2 words it.
/// </summary>
internal sealed class Undefined
{
    private static readonly object NoOwner = new();

    private readonly object? _owner;

    private Undefined(string? hint, object? owner, object? name, string errorType)
    {
        Hint = hint;
        _owner = owner;
        Name = name;
        ErrorType = errorType;
    }

    public string? Hint { get; }

    public object? Name { get; }

    /// <summary>The Python exception class raised on misuse: UndefinedError, or SecurityError for blocked attributes.</summary>
    public string ErrorType { get; }

    public static Undefined ForName(string name) => new(null, NoOwner, name, "UndefinedError");

    public static Undefined ForMember(object? owner, object? name) => new(null, owner, name, "UndefinedError");

    public static Undefined WithHint(string hint, string? name = null) => new(hint, NoOwner, name, "UndefinedError");

    public static Undefined Unsafe(object? owner, string attribute) =>
        new($"access to attribute '{attribute}' of '{Python.PyTypeNames.Of(owner)}' object is unsafe.", owner, attribute, "SecurityError");

    /// <summary>The message Jinja2 would raise with when this undefined value is used.</summary>
    public string Message
    {
        get
        {
            if (!string.IsNullOrEmpty(Hint))
            {
                return Hint;
            }

            if (ReferenceEquals(_owner, NoOwner))
            {
                return $"{Python.PyRepr.Repr(Name)} is undefined";
            }

            return Name is string name
                ? $"{PythonStringRepr.Repr(Python.PyTypeNames.ObjectTypeRepr(_owner))} has no attribute {PythonStringRepr.Repr(name)}"
                : $"{Python.PyTypeNames.ObjectTypeRepr(_owner)} has no element {Python.PyRepr.Repr(Name)}";
        }
    }

    public JinjaRenderException ToException() => new(Message, ErrorType);
}

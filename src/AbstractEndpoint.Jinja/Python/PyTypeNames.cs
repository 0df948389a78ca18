using System.Numerics;
using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Values;

namespace AbstractEndpoint.Jinja.Python;

/// <summary>Python's names for our values' types, as they appear in Python and Jinja2 error messages.</summary>
internal static class PyTypeNames
{
    /// <summary><c>type(value).__name__</c>.</summary>
    public static string Of(object? value) => value switch
    {
        null => "NoneType",
        bool => "bool",
        long or int or BigInteger => "int",
        double => "float",
        string => "str",
        Markup => "Markup",
        PyList => "list",
        PyTuple => "tuple",
        PyDict => "dict",
        Undefined => "Undefined",
        PyNamespace => "Namespace",
        PyRange => "range",
        PySlice => "slice",
        PyIterator iterator => iterator.TypeName,
        PyDictView view => view.TypeName,
        MacroValue => "Macro",
        LoopContext => "LoopContext",
        Cycler => "Cycler",
        Joiner => "Joiner",
        BuiltinFunction function => function.PythonTypeName,
        BoundMethod => "builtin_function_or_method",
        _ => "object",
    };

    /// <summary>Jinja2's <c>object_type_repr</c>: "dict object", "None", "jinja2.utils.Namespace object"...</summary>
    public static string ObjectTypeRepr(object? value) => value switch
    {
        null => "None",
        Markup => "markupsafe.Markup object",
        Undefined => "jinja2.runtime.Undefined object",
        PyNamespace => "jinja2.utils.Namespace object",
        MacroValue => "jinja2.runtime.Macro object",
        LoopContext => "jinja2.runtime.LoopContext object",
        Cycler => "jinja2.utils.Cycler object",
        Joiner => "jinja2.utils.Joiner object",
        _ => Of(value) + " object",
    };
}

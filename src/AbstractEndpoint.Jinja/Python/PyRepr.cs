using System.Globalization;
using System.Numerics;
using System.Text;
using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Values;
using AbstractEndpoint.Python;

namespace AbstractEndpoint.Jinja.Python;

/// <summary>
/// Python's <c>str()</c> and <c>repr()</c> of template values: what <c>{{ value }}</c> prints, including lists and dicts
/// (<c>[1, 'a', None, True]</c>, <c>{'a': 1}</c>) with Python's quoting and escaping rules for strings inside them.
/// </summary>
internal static class PyRepr
{
    /// <summary>Nesting beyond this is refused, as Python would hit its recursion limit.</summary>
    public const int MaxNesting = 1000;

    public static string Str(object? value) => value switch
    {
        string s => s,
        null => "None",
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => PythonFloat.Repr(d),
        Markup m => m.Value,
        Undefined => string.Empty,
        _ => Repr(value),
    };

    public static string Repr(object? value)
    {
        if (value is string s)
        {
            return PythonStringRepr.Repr(s);
        }

        var builder = new StringBuilder();
        AppendRepr(builder, value, 0);
        return builder.ToString();
    }

    public static void AppendRepr(StringBuilder builder, object? value, int depth)
    {
        if (depth > MaxNesting)
        {
            throw new JinjaLimitException("value nesting is too deep to print");
        }

        switch (value)
        {
            case string s:
                PythonStringRepr.Append(builder, s);
                break;
            case null:
                builder.Append("None");
                break;
            case bool b:
                builder.Append(b ? "True" : "False");
                break;
            case long l:
                builder.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case BigInteger big:
                builder.Append(big.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                builder.Append(PythonFloat.Repr(d));
                break;
            case Markup m:
                builder.Append("Markup(");
                PythonStringRepr.Append(builder, m.Value);
                builder.Append(')');
                break;
            case Undefined:
                builder.Append("Undefined");
                break;
            case PyList list:
                builder.Append('[');
                AppendItems(builder, list.Items, depth);
                builder.Append(']');
                break;
            case PyTuple tuple:
                builder.Append('(');
                AppendItems(builder, tuple.Items, depth);
                if (tuple.Count == 1)
                {
                    builder.Append(',');
                }

                builder.Append(')');
                break;
            case PyDict dict:
                AppendDict(builder, dict, depth);
                break;
            case PyNamespace ns:
                builder.Append("<Namespace ");
                AppendDict(builder, ns.Attributes, depth);
                builder.Append('>');
                break;
            case PyRange range:
                builder.Append("range(").Append(range.Start).Append(", ").Append(range.Stop);
                if (range.Step != 1)
                {
                    builder.Append(", ").Append(range.Step);
                }

                builder.Append(')');
                break;
            case PyDictView view:
                builder.Append(view.TypeName).Append("([");
                for (var i = 0; i < view.Dict.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(", ");
                    }

                    AppendRepr(builder, view.ItemAt(i), depth + 1);
                }

                builder.Append("])");
                break;
            case PySlice slice:
                builder.Append("slice(");
                AppendRepr(builder, slice.Start, depth + 1);
                builder.Append(", ");
                AppendRepr(builder, slice.Stop, depth + 1);
                builder.Append(", ");
                AppendRepr(builder, slice.Step, depth + 1);
                builder.Append(')');
                break;
            case MacroValue macro:
                builder.Append("<Macro ").Append(PythonStringRepr.Repr(macro.Name)).Append('>');
                break;
            case LoopContext loop:
                builder.Append("<LoopContext ").Append(loop.Index).Append('/').Append(loop.Length).Append('>');
                break;
            case BuiltinFunction function:
                builder.Append(function.PythonTypeName == "type" ? $"<class '{function.Name}'>" : $"<function {function.Name}>");
                break;
            case BoundMethod method:
                builder.Append("<built-in method ").Append(method.Name).Append(" of ").Append(PyTypeNames.Of(method.Receiver)).Append(" object>");
                break;
            default:
                // Generators, cyclers and the like print their identity in Python; we print a stable placeholder.
                builder.Append('<').Append(PyTypeNames.ObjectTypeRepr(value)).Append('>');
                break;
        }
    }

    private static void AppendItems(StringBuilder builder, IReadOnlyList<object?> items, int depth)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            AppendRepr(builder, items[i], depth + 1);
        }
    }

    private static void AppendDict(StringBuilder builder, PyDict dict, int depth)
    {
        builder.Append('{');
        for (var i = 0; i < dict.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            AppendRepr(builder, dict.KeyAt(i), depth + 1);
            builder.Append(": ");
            AppendRepr(builder, dict.ValueAt(i), depth + 1);
        }

        builder.Append('}');
    }
}

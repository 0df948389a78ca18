using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Values;

namespace AbstractEndpoint.Jinja.Builtins;

/// <summary>Jinja2's built-in tests (<c>x is defined</c>, <c>x is string</c>, <c>x is divisibleby 3</c>, <c>x is eq y</c>...).</summary>
internal static class Tests
{
    private static readonly Dictionary<string, TestFunction> Table = new(StringComparer.Ordinal)
    {
        ["odd"] = (s, v, a) => PyOps.Equal(PyArithmetic.Modulo(v, PyBox.Int(2), s), PyBox.Int(1)),
        ["even"] = (s, v, a) => PyOps.Equal(PyArithmetic.Modulo(v, PyBox.Int(2), s), PyBox.Int(0)),
        ["divisibleby"] = (s, v, a) => PyOps.Equal(PyArithmetic.Modulo(v, One(a, "divisibleby"), s), PyBox.Int(0)),
        ["defined"] = (s, v, a) => v is not Undefined,
        ["undefined"] = (s, v, a) => v is Undefined,
        ["filter"] = (s, v, a) => PyString.TryGet(v, out var name) && Filters.Exists(name),
        ["test"] = (s, v, a) => PyString.TryGet(v, out var name) && Find(name) is not null,
        ["none"] = (s, v, a) => v is null,
        ["boolean"] = (s, v, a) => v is bool,
        ["false"] = (s, v, a) => v is false,
        ["true"] = (s, v, a) => v is true,
        ["integer"] = (s, v, a) => v is long or System.Numerics.BigInteger,
        ["float"] = (s, v, a) => v is double,
        ["lower"] = (s, v, a) => (bool)StringMethods.Invoke(s, PyRepr.Str(v), false, "islower", CallArguments.Empty)!,
        ["upper"] = (s, v, a) => (bool)StringMethods.Invoke(s, PyRepr.Str(v), false, "isupper", CallArguments.Empty)!,
        ["string"] = (s, v, a) => v is string or Markup,
        ["mapping"] = (s, v, a) => v is PyDict,
        ["number"] = (s, v, a) => PyOps.IsNumber(v),
        ["sequence"] = (s, v, a) => v is string or Markup or PyList or PyTuple or PyDict or PyRange or Undefined,
        ["iterable"] = (s, v, a) => PyIteration.IsIterable(v) || v is LoopContext,
        ["callable"] = (s, v, a) => v is IPyCallable or Undefined,
        ["sameas"] = (s, v, a) => SameAs(v, One(a, "sameas")),
        ["escaped"] = (s, v, a) => v is Markup,
        ["in"] = (s, v, a) => PyOps.Contains(One(a, "in"), v, s),
        ["=="] = (s, v, a) => PyOps.Equal(v, Operand(a, "eq")),
        ["eq"] = (s, v, a) => PyOps.Equal(v, Operand(a, "eq")),
        ["equalto"] = (s, v, a) => PyOps.Equal(v, Operand(a, "eq")),
        ["!="] = (s, v, a) => !PyOps.Equal(v, Operand(a, "ne")),
        ["ne"] = (s, v, a) => !PyOps.Equal(v, Operand(a, "ne")),
        [">"] = (s, v, a) => PyOps.Compare(v, Operand(a, "gt"), ">") > 0,
        ["gt"] = (s, v, a) => PyOps.Compare(v, Operand(a, "gt"), ">") > 0,
        ["greaterthan"] = (s, v, a) => PyOps.Compare(v, Operand(a, "gt"), ">") > 0,
        [">="] = (s, v, a) => PyOps.Compare(v, Operand(a, "ge"), ">=") >= 0,
        ["ge"] = (s, v, a) => PyOps.Compare(v, Operand(a, "ge"), ">=") >= 0,
        ["<"] = (s, v, a) => PyOps.Compare(v, Operand(a, "lt"), "<") < 0,
        ["lt"] = (s, v, a) => PyOps.Compare(v, Operand(a, "lt"), "<") < 0,
        ["lessthan"] = (s, v, a) => PyOps.Compare(v, Operand(a, "lt"), "<") < 0,
        ["<="] = (s, v, a) => PyOps.Compare(v, Operand(a, "le"), "<=") <= 0,
        ["le"] = (s, v, a) => PyOps.Compare(v, Operand(a, "le"), "<=") <= 0,
    };

    public static TestFunction? Find(string name) => Table.GetValueOrDefault(name);

    /// <summary>The comparison tests are Python's operator functions, which word their arity errors this way.</summary>
    private static object? Operand(CallArguments args, string name)
    {
        if (args.Count != 1 || args.HasKeywords)
        {
            throw PyErrors.TypeError($"{name} expected 2 arguments, got {args.Count + 1}");
        }

        return args.Positional[0];
    }

    private static object? One(CallArguments args, string name)
    {
        if (args.Count != 1 || args.HasKeywords)
        {
            throw PyErrors.TypeError($"{name}() takes exactly one argument ({args.Count} given)");
        }

        return args.Positional[0];
    }

    /// <summary>Python's <c>is</c>: singletons and CPython's cached small ints compare by value, everything else by identity.</summary>
    private static bool SameAs(object? value, object? other) => (value, other) switch
    {
        (null, null) => true,
        (bool a, bool b) => a == b,
        (long a, long b) => a == b && a is >= -5 and <= 256,
        (string a, string b) => ReferenceEquals(a, b) || (a == b && a.Length <= 1),
        _ => ReferenceEquals(value, other),
    };
}

using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Values;

namespace AbstractEndpoint.Jinja.Syntax;

/// <summary>The argument expressions of a call, filter or test: <c>(a, b, key=c, *rest, **more)</c>.</summary>
internal sealed class ArgumentList(Expr[] positional, string[] keywordNames, Expr[] keywordValues, Expr? splat, Expr? doubleSplat)
{
    public static readonly ArgumentList None = new([], [], [], null, null);

    public Expr[] Positional { get; } = positional;

    public string[] KeywordNames { get; } = keywordNames;

    public Expr[] KeywordValues { get; } = keywordValues;

    public Expr? Splat { get; } = splat;

    public Expr? DoubleSplat { get; } = doubleSplat;

    public bool IsConstant => Splat is null && DoubleSplat is null
        && Array.TrueForAll(Positional, item => item.IsConstant) && Array.TrueForAll(KeywordValues, item => item.IsConstant);

    public bool IsEmpty => Positional.Length == 0 && KeywordNames.Length == 0 && Splat is null && DoubleSplat is null;

    public CallArguments Evaluate(Scope scope) => Evaluate(scope, hasFirst: false, first: null);

    /// <summary>Evaluates the arguments; a filter's or test's operand becomes the first positional argument.</summary>
    public CallArguments Evaluate(Scope scope, bool hasFirst, object? first)
    {
        if (IsEmpty)
        {
            return hasFirst ? CallArguments.Of(first) : CallArguments.Empty;
        }

        var offset = hasFirst ? 1 : 0;
        List<object?>? extra = null;
        if (Splat is not null)
        {
            extra = PyIteration.ToList(Splat.Evaluate(scope), scope.Session);
        }

        var positional = new object?[offset + Positional.Length + (extra?.Count ?? 0)];
        if (hasFirst)
        {
            positional[0] = first;
        }

        for (var i = 0; i < Positional.Length; i++)
        {
            positional[offset + i] = Positional[i].Evaluate(scope);
        }

        extra?.CopyTo(positional, offset + Positional.Length);
        var names = KeywordNames;
        var values = new object?[KeywordValues.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = KeywordValues[i].Evaluate(scope);
        }

        if (DoubleSplat is not null)
        {
            if (DoubleSplat.Evaluate(scope) is not PyDict more)
            {
                throw PyErrors.TypeError("argument after ** must be a mapping");
            }

            var allNames = new List<string>(names);
            var allValues = new List<object?>(values);
            for (var i = 0; i < more.Count; i++)
            {
                if (!PyString.TryGet(more.KeyAt(i), out var key))
                {
                    throw PyErrors.TypeError("keywords must be strings");
                }

                allNames.Add(key);
                allValues.Add(more.ValueAt(i));
            }

            names = [.. allNames];
            values = [.. allValues];
        }

        return new CallArguments(positional, names, values);
    }
}

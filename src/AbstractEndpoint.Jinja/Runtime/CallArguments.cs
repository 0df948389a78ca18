using AbstractEndpoint.Jinja.Python;

namespace AbstractEndpoint.Jinja.Runtime;

/// <summary>Positional and keyword arguments of one call, with Python-style binding to parameter names.</summary>
internal sealed class CallArguments(object?[] positional, string[] keywordNames, object?[] keywordValues)
{
    public static readonly CallArguments Empty = new([], [], []);

    public object?[] Positional { get; } = positional;

    public string[] KeywordNames { get; } = keywordNames;

    public object?[] KeywordValues { get; } = keywordValues;

    public int Count => Positional.Length;

    public bool HasKeywords => KeywordNames.Length > 0;

    public static CallArguments Of(params object?[] positional) => new(positional, [], []);

    public bool TryGetKeyword(string name, out object? value)
    {
        for (var i = 0; i < KeywordNames.Length; i++)
        {
            if (KeywordNames[i] == name)
            {
                value = KeywordValues[i];
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>
    /// Binds to a Python signature: <paramref name="parameters"/> in order, filled by position then keyword, with
    /// <paramref name="defaults"/> aligned to the last parameters. Unknown keywords and surplus arguments raise TypeError.
    /// </summary>
    public object?[] Bind(string function, string[] parameters, object?[] defaults, int skip = 0)
    {
        var values = new object?[parameters.Length];
        var available = Positional.Length - skip;
        if (available > parameters.Length)
        {
            throw PyErrors.TypeError($"{function}() takes at most {parameters.Length} positional arguments ({available} given)");
        }

        var firstDefault = parameters.Length - defaults.Length;
        for (var i = 0; i < parameters.Length; i++)
        {
            var fromKeyword = TryGetKeyword(parameters[i], out var keyword);
            if (i < available)
            {
                if (fromKeyword)
                {
                    throw PyErrors.TypeError($"{function}() got multiple values for argument '{parameters[i]}'");
                }

                values[i] = Positional[skip + i];
            }
            else if (fromKeyword)
            {
                values[i] = keyword;
            }
            else if (i >= firstDefault)
            {
                values[i] = defaults[i - firstDefault];
            }
            else
            {
                throw PyErrors.TypeError($"{function}() missing required argument: '{parameters[i]}'");
            }
        }

        foreach (var name in KeywordNames)
        {
            if (Array.IndexOf(parameters, name) < 0)
            {
                throw PyErrors.TypeError($"{function}() got an unexpected keyword argument '{name}'");
            }
        }

        return values;
    }

    public CallArguments Skip(int count) => new(Positional[Math.Min(count, Positional.Length)..], KeywordNames, KeywordValues);
}

using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Syntax;
using AbstractEndpoint.Jinja.Values;

namespace AbstractEndpoint.Jinja.Runtime;

/// <summary>
/// A macro bound to the scope it was defined in (lexical scoping, as Jinja2 compiles closures). Calling it binds
/// arguments exactly like Jinja2's <c>Macro.__call__</c> and returns the rendered body as a string.
/// </summary>
internal sealed class MacroValue(MacroDefinition definition, Scope closure) : IPyCallable
{
    public MacroDefinition Definition { get; } = definition;

    public string Name => Definition.Name;

    public object? Call(RenderSession session, CallArguments arguments)
    {
        session.EnterCall();
        try
        {
            var scope = Bind(session, arguments);
            Syntax.Statements.SetBlockStmt.CaptureBody(Definition.Body, scope, out var text);
            return text;
        }
        finally
        {
            session.ExitCall();
        }
    }

    private Scope Bind(RenderSession session, CallArguments arguments)
    {
        var definition = Definition;
        var parameters = definition.Parameters;
        var scope = Scope.ForFrame(session, closure, definition.MissingNames);
        var given = new bool[parameters.Length];
        var used = new bool[arguments.KeywordNames.Length];
        var positionalCount = Math.Min(arguments.Count, parameters.Length);
        for (var i = 0; i < positionalCount; i++)
        {
            scope.Set(parameters[i], arguments.Positional[i]);
            given[i] = true;
        }

        bool foundCaller;
        if (positionalCount != parameters.Length)
        {
            foundCaller = false;
            for (var i = positionalCount; i < parameters.Length; i++)
            {
                var at = Array.IndexOf(arguments.KeywordNames, parameters[i]);
                if (parameters[i] == "caller")
                {
                    foundCaller = true;
                }

                if (at >= 0)
                {
                    used[at] = true;
                    scope.Set(parameters[i], arguments.KeywordValues[at]);
                    given[i] = true;
                }
            }
        }
        else
        {
            foundCaller = definition.ExplicitCaller;
        }

        if (definition.UsesCaller && !foundCaller)
        {
            var at = Array.IndexOf(arguments.KeywordNames, "caller");
            object? caller = null;
            if (at >= 0)
            {
                used[at] = true;
                caller = arguments.KeywordValues[at];
            }

            scope.Set("caller", caller ?? Undefined.WithHint("No caller defined", "caller"));
        }

        BindExtras(scope, arguments, used);
        var firstDefault = parameters.Length - definition.Defaults.Length;
        for (var i = 0; i < parameters.Length; i++)
        {
            if (given[i])
            {
                continue;
            }

            scope.Set(parameters[i], i >= firstDefault
                ? definition.Defaults[i - firstDefault].Evaluate(scope)
                : Undefined.WithHint($"parameter '{parameters[i]}' was not provided", parameters[i]));
        }

        return scope;
    }

    private void BindExtras(Scope scope, CallArguments arguments, bool[] used)
    {
        var definition = Definition;
        if (definition.UsesKwargs)
        {
            var extra = new PyDict();
            for (var i = 0; i < used.Length; i++)
            {
                if (!used[i])
                {
                    extra.Set(arguments.KeywordNames[i], arguments.KeywordValues[i]);
                }
            }

            scope.Set("kwargs", extra);
        }
        else
        {
            for (var i = 0; i < used.Length; i++)
            {
                if (used[i])
                {
                    continue;
                }

                if (Array.IndexOf(arguments.KeywordNames, "caller") >= 0 && !used[Array.IndexOf(arguments.KeywordNames, "caller")])
                {
                    throw PyErrors.TypeError($"macro '{Name}' was invoked with two values for the special caller argument. This is most likely a bug.");
                }

                throw PyErrors.TypeError($"macro '{Name}' takes no keyword argument '{arguments.KeywordNames[i]}'");
            }
        }

        var parameterCount = definition.Parameters.Length;
        if (definition.UsesVarargs)
        {
            scope.Set("varargs", arguments.Count > parameterCount ? new PyTuple(arguments.Positional[parameterCount..]) : PyTuple.Empty);
        }
        else if (arguments.Count > parameterCount)
        {
            throw PyErrors.TypeError($"macro '{Name}' takes not more than {parameterCount} argument(s)");
        }
    }
}

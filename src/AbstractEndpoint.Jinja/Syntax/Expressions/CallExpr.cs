using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Values;

namespace AbstractEndpoint.Jinja.Syntax.Expressions;

/// <summary><c>callee(args)</c>: macros, globals such as <c>range</c>, and methods such as <c>text.split(',')</c>.</summary>
internal sealed class CallExpr(int line, Expr callee, ArgumentList arguments) : Expr(line)
{
    public Expr Callee { get; } = callee;

    public ArgumentList Arguments { get; } = arguments;

    public override object? Evaluate(Scope scope) => Invoke(scope, null);

    /// <summary>Calls with an extra keyword argument (how <c>{% call %}</c> passes <c>caller</c>).</summary>
    public object? Invoke(Scope scope, MacroValue? caller)
    {
        if (scope.Session.FoldingConstants)
        {
            throw new NotFoldableException();
        }

        RenderSession.EnsureStack();
        var callee = Callee.Evaluate(scope);
        var arguments = Arguments.Evaluate(scope);
        if (caller is not null)
        {
            arguments = new CallArguments(arguments.Positional, [.. arguments.KeywordNames, "caller"], [.. arguments.KeywordValues, caller]);
        }

        return Call(callee, arguments, scope.Session);
    }

    public static object? Call(object? callee, CallArguments arguments, RenderSession session) => callee switch
    {
        IPyCallable callable => callable.Call(session, arguments),
        Undefined undefined => throw undefined.ToException(),
        _ => throw PyErrors.TypeError($"'{PyTypeNames.Of(callee)}' object is not callable"),
    };
}

using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Syntax.Expressions;

namespace AbstractEndpoint.Jinja.Syntax.Statements;

/// <summary><c>{% call(args) macro(...) %}body{% endcall %}</c>: calls the macro with the body as <c>caller</c>.</summary>
internal sealed class CallBlockStmt(int line, CallExpr call, MacroDefinition caller) : Stmt(line)
{
    public CallExpr Call { get; } = call;

    public MacroDefinition Caller { get; } = caller;

    public override Flow Execute(Scope scope)
    {
        var result = Call.Invoke(scope, new MacroValue(Caller, scope));
        scope.Session.Write(PyRepr.Str(result));
        return Flow.Normal;
    }
}

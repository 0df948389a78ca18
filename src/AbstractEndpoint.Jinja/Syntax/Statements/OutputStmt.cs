using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Runtime;

namespace AbstractEndpoint.Jinja.Syntax.Statements;

/// <summary><c>{{ expression }}</c> (and <c>{% print %}</c>): writes Python's <c>str()</c> of the value.</summary>
internal sealed class OutputStmt(int line, Expr expression) : Stmt(line)
{
    public Expr Expression { get; } = expression;

    public override Flow Execute(Scope scope)
    {
        scope.Session.Write(PyRepr.Str(Expression.Evaluate(scope)));
        return Flow.Normal;
    }
}

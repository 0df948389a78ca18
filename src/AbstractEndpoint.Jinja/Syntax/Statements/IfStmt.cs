using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Runtime;

namespace AbstractEndpoint.Jinja.Syntax.Statements;

/// <summary><c>if / elif / else</c>. No new scope: a <c>set</c> inside an <c>if</c> is visible after it.</summary>
internal sealed class IfStmt(int line, Expr[] tests, Stmt[][] bodies, Stmt[] elseBody) : Stmt(line)
{
    public Expr[] Tests { get; } = tests;

    public Stmt[][] Bodies { get; } = bodies;

    public Stmt[] ElseBody { get; } = elseBody;

    public override Flow Execute(Scope scope)
    {
        for (var i = 0; i < Tests.Length; i++)
        {
            if (PyOps.Truthy(Tests[i].Evaluate(scope)))
            {
                return ExecuteBody(Bodies[i], scope);
            }
        }

        return ExecuteBody(ElseBody, scope);
    }
}

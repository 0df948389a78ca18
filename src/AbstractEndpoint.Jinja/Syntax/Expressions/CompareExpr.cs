using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Runtime;

namespace AbstractEndpoint.Jinja.Syntax.Expressions;

/// <summary>A comparison chain such as <c>a &lt; b &lt;= c</c>, evaluated like Python's (each operand once, short-circuit).</summary>
internal sealed class CompareExpr(int line, Expr first, CompareOperator[] operators, Expr[] operands) : Expr(line)
{
    public Expr First { get; } = first;

    public CompareOperator[] Operators { get; } = operators;

    public Expr[] Operands { get; } = operands;

    public override bool IsConstant => First.IsConstant && AllConstant(Operands);

    public override object? Evaluate(Scope scope)
    {
        RenderSession.EnsureStack();
        var left = First.Evaluate(scope);
        for (var i = 0; i < Operators.Length; i++)
        {
            var right = Operands[i].Evaluate(scope);
            if (!Compare(Operators[i], left, right, scope.Session))
            {
                return PyBox.False;
            }

            left = right;
        }

        return PyBox.True;
    }

    public static bool Compare(CompareOperator op, object? left, object? right, RenderSession session) => op switch
    {
        CompareOperator.Equal => PyOps.Equal(left, right),
        CompareOperator.NotEqual => !PyOps.Equal(left, right),
        CompareOperator.Less => PyOps.Compare(left, right, "<") < 0,
        CompareOperator.LessOrEqual => PyOps.Compare(left, right, "<=") <= 0,
        CompareOperator.Greater => PyOps.Compare(left, right, ">") > 0,
        CompareOperator.GreaterOrEqual => PyOps.Compare(left, right, ">=") >= 0,
        CompareOperator.In => PyOps.Contains(right, left, session),
        _ => !PyOps.Contains(right, left, session),
    };
}

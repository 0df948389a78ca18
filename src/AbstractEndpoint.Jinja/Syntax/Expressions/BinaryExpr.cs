using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Runtime;

namespace AbstractEndpoint.Jinja.Syntax.Expressions;

/// <summary>Arithmetic with Python semantics (<c>+ - * / // % **</c>).</summary>
internal sealed class BinaryExpr(int line, BinaryOperator op, Expr left, Expr right) : Expr(line)
{
    public BinaryOperator Operator { get; } = op;

    public Expr Left { get; } = left;

    public Expr Right { get; } = right;

    private static bool IsNegativeNumber(object? value) => value switch
    {
        long l => l < 0,
        double d => double.IsNegative(d) && !double.IsNaN(d),
        System.Numerics.BigInteger big => big.Sign < 0,
        _ => false,
    };

    public override bool IsConstant => Left.IsConstant && Right.IsConstant;

    public override object? Evaluate(Scope scope)
    {
        RenderSession.EnsureStack();
        var left = Left.Evaluate(scope);
        var right = Right.Evaluate(scope);
        if (Operator == BinaryOperator.Power && Left is ConstantExpr && IsNegativeNumber(left) && !scope.Session.FoldingConstants)
        {
            // Jinja2 folds the constant base and writes it into generated Python as "-2 ** x", which Python reads
            // as -(2 ** x). Real templates never rely on this, but exactness does.
            return PyArithmetic.Negate(PyArithmetic.Power(PyArithmetic.Negate(left), right));
        }

        return Operator switch
        {
            BinaryOperator.Add => PyArithmetic.Add(left, right, scope.Session),
            BinaryOperator.Subtract => PyArithmetic.Subtract(left, right),
            BinaryOperator.Multiply => PyArithmetic.Multiply(left, right, scope.Session),
            BinaryOperator.Divide => PyArithmetic.TrueDivide(left, right),
            BinaryOperator.FloorDivide => PyArithmetic.FloorDivide(left, right),
            BinaryOperator.Modulo => PyArithmetic.Modulo(left, right, scope.Session),
            _ => PyArithmetic.Power(left, right),
        };
    }
}

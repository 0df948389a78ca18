using AbstractEndpoint.Jinja.Builtins;
using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Runtime;

namespace AbstractEndpoint.Jinja.Syntax.Expressions;

/// <summary><c>operand is name(args)</c> (negation is a separate <see cref="NotExpr"/>, as in Jinja2).</summary>
internal sealed class TestExpr(int line, Expr operand, string name, TestFunction? test, ArgumentList arguments) : Expr(line)
{
    public Expr Operand { get; } = operand;

    public string Name { get; } = name;

    public TestFunction? Test { get; } = test;

    public ArgumentList Arguments { get; } = arguments;

    public override bool IsConstant => Test is not null && Operand.IsConstant && Arguments.IsConstant;

    public override object? Evaluate(Scope scope)
    {
        RenderSession.EnsureStack();
        var value = Operand.Evaluate(scope);
        if (Test is null && scope.Session.FoldingConstants)
        {
            throw new NotFoldableException();
        }

        if (Test is null)
        {
            throw PyErrors.Runtime($"No test named '{Name}' found.");
        }

        return PyBox.Bool(Test(scope.Session, value, Arguments.Evaluate(scope)));
    }
}

using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Runtime;

namespace AbstractEndpoint.Jinja.Syntax.Expressions;

/// <summary><c>obj.name</c>: attribute first, then item (<c>obj['name']</c>), through the sandbox's rules.</summary>
internal sealed class AttributeExpr(int line, Expr target, string name) : Expr(line)
{
    public Expr Target { get; } = target;

    public string Name { get; } = name;

    public override bool IsConstant => Target.IsConstant;

    public override object? Evaluate(Scope scope)
    {
        RenderSession.EnsureStack();
        return PyAccess.GetAttribute(Target.Evaluate(scope), Name);
    }
}

using AbstractEndpoint.Jinja.Runtime;

namespace AbstractEndpoint.Jinja.Syntax.Expressions;

/// <summary><c>ns.attr</c> as parsed on the left of <c>set</c>; it only ever becomes an assignment target.</summary>
internal sealed class NamespaceRefExpr(int line, string namespaceName, string attribute) : Expr(line)
{
    public string NamespaceName { get; } = namespaceName;

    public string Attribute { get; } = attribute;

    public override object? Evaluate(Scope scope) => throw new InvalidOperationException("a namespace reference is only an assignment target");
}

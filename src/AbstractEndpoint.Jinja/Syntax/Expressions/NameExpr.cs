using AbstractEndpoint.Jinja.Runtime;

namespace AbstractEndpoint.Jinja.Syntax.Expressions;

/// <summary>A variable reference; unknown names evaluate to Undefined, as in Jinja2.</summary>
internal sealed class NameExpr(int line, string name) : Expr(line)
{
    public string Name { get; } = name;

    public override object? Evaluate(Scope scope) =>
        scope.Session.FoldingConstants ? throw new NotFoldableException() : scope.Lookup(Name);
}

using AbstractEndpoint.Jinja.Runtime;

namespace AbstractEndpoint.Jinja.Syntax.Statements;

/// <summary><c>{% break %}</c> or <c>{% continue %}</c> (Jinja2's loopcontrols extension, enabled by transformers).</summary>
internal sealed class LoopControlStmt(int line, Flow flow) : Stmt(line)
{
    public Flow Flow { get; } = flow;

    public override Flow Execute(Scope scope) => Flow;
}

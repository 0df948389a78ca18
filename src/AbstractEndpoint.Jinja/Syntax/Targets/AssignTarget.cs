using AbstractEndpoint.Jinja.Runtime;

namespace AbstractEndpoint.Jinja.Syntax.Targets;

/// <summary>The left side of <c>set</c>, <c>for</c> and <c>with</c>: a name, a tuple of targets, or <c>ns.attr</c>.</summary>
internal abstract class AssignTarget
{
    public abstract void Assign(Scope scope, object? value);
}

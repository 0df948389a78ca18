using AbstractEndpoint.Jinja.Runtime;

namespace AbstractEndpoint.Jinja.Syntax.Targets;

internal sealed class NameTarget(string name) : AssignTarget
{
    public string Name { get; } = name;

    public override void Assign(Scope scope, object? value) => scope.Set(Name, value);
}

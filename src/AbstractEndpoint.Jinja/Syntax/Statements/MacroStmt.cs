using AbstractEndpoint.Jinja.Runtime;

namespace AbstractEndpoint.Jinja.Syntax.Statements;

/// <summary><c>{% macro name(args) %}</c>: binds a macro that closes over the scope it is defined in.</summary>
internal sealed class MacroStmt(int line, MacroDefinition definition) : Stmt(line)
{
    public MacroDefinition Definition { get; } = definition;

    public override Flow Execute(Scope scope)
    {
        scope.Set(Definition.Name, new MacroValue(Definition, scope));
        return Flow.Normal;
    }
}

using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Values;

namespace AbstractEndpoint.Jinja.Syntax.Targets;

/// <summary><c>set ns.attr = ...</c>: the one mutation templates may perform, on a <c>namespace()</c> object.</summary>
internal sealed class NamespaceTarget(string namespaceName, string attribute) : AssignTarget
{
    public string NamespaceName { get; } = namespaceName;

    public string Attribute { get; } = attribute;

    public override void Assign(Scope scope, object? value)
    {
        if (scope.Lookup(NamespaceName) is not PyNamespace ns)
        {
            throw PyErrors.Runtime("cannot assign attribute on non-namespace object");
        }

        ns.Attributes.Set(Attribute, value);
    }
}

using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Runtime;

namespace AbstractEndpoint.Jinja.Syntax.Targets;

/// <summary><c>a, b</c>: unpacks any iterable of exactly that many items, raising Python's ValueError otherwise.</summary>
internal sealed class TupleTarget(AssignTarget[] items) : AssignTarget
{
    public AssignTarget[] Items { get; } = items;

    public override void Assign(Scope scope, object? value)
    {
        var values = PyIteration.AsReadOnlyList(value, scope.Session);
        if (values.Count > Items.Length)
        {
            throw PyErrors.ValueError($"too many values to unpack (expected {Items.Length})");
        }

        if (values.Count < Items.Length)
        {
            throw PyErrors.ValueError($"not enough values to unpack (expected {Items.Length}, got {values.Count})");
        }

        for (var i = 0; i < Items.Length; i++)
        {
            Items[i].Assign(scope, values[i]);
        }
    }
}

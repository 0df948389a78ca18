using AbstractEndpoint.Jinja.Runtime;

namespace AbstractEndpoint.Jinja.Syntax;

/// <summary>An expression node. Nodes are immutable after parsing, so one tree serves concurrent renders.</summary>
internal abstract class Expr(int line)
{
    public int Line { get; } = line;

    /// <summary>
    /// Whether Jinja2's compile-time optimizer could fold this expression to a constant (literals and pure
    /// operations on them). It matters in one place: a folded slice goes through the sandbox's lenient getitem.
    /// </summary>
    public virtual bool IsConstant => false;

    public abstract object? Evaluate(Scope scope);

    protected static bool AllConstant(Expr?[] items) => Array.TrueForAll(items, item => item is null || item.IsConstant);
}

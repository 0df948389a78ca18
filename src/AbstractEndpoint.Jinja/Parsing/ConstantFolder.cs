using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Syntax;
using AbstractEndpoint.Jinja.Syntax.Expressions;
using AbstractEndpoint.Jinja.Values;

namespace AbstractEndpoint.Jinja.Parsing;

/// <summary>
/// Jinja2's compile-time optimizer, which is observable: constant subexpressions are evaluated once at parse time
/// and replaced by their value when it has a "safe repr" (numbers, strings, None, and containers of those), and a
/// constant <c>{{ }}</c> becomes plain text whatever its value. Folding evaluates slices with the sandbox's lenient
/// getitem (an invalid slice folds to Undefined instead of raising), and anything that fails to fold is simply left
/// for render time, where it fails (or not) exactly as it would have.
/// </summary>
internal sealed class ConstantFolder
{
    private readonly Scope _scope;

    public ConstantFolder(JinjaOptions options)
    {
        var session = new RenderSession(options, []) { FoldingConstants = true };
        _scope = new Scope(session, null);
    }

    /// <summary>The folded constant, or the node itself when it cannot be folded or its value is not safe to embed.</summary>
    public Expr Fold(Expr node) =>
        node is not ConstantExpr && node.IsConstant && TryEvaluate(node, out var value) && HasSafeRepr(value, 0)
            ? new ConstantExpr(node.Line, value)
            : node;

    /// <summary>Whether a <c>{{ }}</c> expression folds to a constant; output accepts any value, as Jinja2's compiler does.</summary>
    public bool TryFoldOutput(Expr node, out object? value)
    {
        value = null;
        return node.IsConstant && TryEvaluate(node, out value);
    }

    private bool TryEvaluate(Expr node, out object? value)
    {
        try
        {
            value = node.Evaluate(_scope);
            return value is not PyIterator;
        }
        catch (Exception e) when (e is JinjaException or NotFoldableException or InsufficientExecutionStackException)
        {
            value = null;
            return false;
        }
    }

    /// <summary>Jinja2's <c>has_safe_repr</c>.</summary>
    private static bool HasSafeRepr(object? value, int depth)
    {
        if (depth > 100)
        {
            return false;
        }

        switch (value)
        {
            case null or bool or long or double or System.Numerics.BigInteger or string or Markup or PyRange:
                return true;
            case PyList list:
                return list.Items.TrueForAll(item => HasSafeRepr(item, depth + 1));
            case PyTuple tuple:
                return Array.TrueForAll(tuple.Items, item => HasSafeRepr(item, depth + 1));
            case PyDict dict:
                for (var i = 0; i < dict.Count; i++)
                {
                    if (!HasSafeRepr(dict.KeyAt(i), depth + 1) || !HasSafeRepr(dict.ValueAt(i), depth + 1))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false;
        }
    }
}

using System.Text;
using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Runtime;

namespace AbstractEndpoint.Jinja.Syntax.Expressions;

/// <summary>
/// <c>a ~ b ~ c</c>: joins the <c>str()</c> of every operand. Without autoescape Jinja2 uses a plain join, so Markup
/// operands lose their markup and nothing is escaped.
/// </summary>
internal sealed class ConcatExpr(int line, Expr[] parts) : Expr(line)
{
    public Expr[] Parts { get; } = parts;

    public override bool IsConstant => AllConstant(Parts);

    public override object? Evaluate(Scope scope)
    {
        var builder = new StringBuilder();
        foreach (var part in Parts)
        {
            var text = PyRepr.Str(part.Evaluate(scope));
            scope.Session.ChargeString((long)builder.Length + text.Length);
            builder.Append(text);
        }

        return builder.ToString();
    }
}

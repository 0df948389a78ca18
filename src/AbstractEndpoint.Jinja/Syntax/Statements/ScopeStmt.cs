using AbstractEndpoint.Jinja.Runtime;

namespace AbstractEndpoint.Jinja.Syntax.Statements;

/// <summary>
/// A body run in a scope of its own: transformers' <c>{% generation %}...{% endgeneration %}</c> (rendered unchanged)
/// and named <c>{% block %}</c>s (a lone template renders them in place).
/// </summary>
internal sealed class ScopeStmt(int line, Stmt[] body) : Stmt(line)
{
    public Stmt[] Body { get; } = body;

    /// <summary>Names this frame starts as missing (set once by <see cref="Parsing.ScopeAnalyzer"/> before first use).</summary>
    public string[] MissingNames { get; set; } = [];

    public override Flow Execute(Scope scope) => ExecuteBody(Body, Scope.ForFrame(scope.Session, scope, MissingNames));
}

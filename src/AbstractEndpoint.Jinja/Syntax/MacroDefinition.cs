namespace AbstractEndpoint.Jinja.Syntax;

/// <summary>
/// A macro's (or a call block's <c>caller</c>'s) signature and body. Like Jinja2, the special names <c>caller</c>,
/// <c>kwargs</c> and <c>varargs</c> are only bound when the body mentions them, which also decides whether the macro
/// accepts extra keyword or positional arguments.
/// </summary>
internal sealed class MacroDefinition(string name, string[] parameters, Expr[] defaults, Stmt[] body, MacroFeatures features)
{
    public string Name { get; } = name;

    public string[] Parameters { get; } = parameters;

    /// <summary>Default expressions for the last <c>Defaults.Length</c> parameters.</summary>
    public Expr[] Defaults { get; } = defaults;

    public Stmt[] Body { get; } = body;

    public bool UsesCaller { get; } = (features & MacroFeatures.Caller) != 0;

    public bool UsesKwargs { get; } = (features & MacroFeatures.Kwargs) != 0;

    public bool UsesVarargs { get; } = (features & MacroFeatures.Varargs) != 0;

    public bool ExplicitCaller { get; } = Array.IndexOf(parameters, "caller") >= 0;

    /// <summary>Names the macro body starts as missing (set once by <see cref="Parsing.ScopeAnalyzer"/> before first use).</summary>
    public string[] MissingNames { get; set; } = [];
}

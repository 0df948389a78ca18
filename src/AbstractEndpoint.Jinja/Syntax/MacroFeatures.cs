namespace AbstractEndpoint.Jinja.Syntax;

/// <summary>Which special names a macro body refers to.</summary>
[Flags]
internal enum MacroFeatures
{
    None = 0,
    Caller = 1,
    Kwargs = 2,
    Varargs = 4,
}

namespace AbstractEndpoint.Jinja.Values;

/// <summary>
/// markupsafe's <c>Markup</c>: a string marked safe by <c>|safe</c> or <c>|escape</c>. Without autoescape it prints
/// unchanged, but concatenating it with a plain string HTML-escapes the plain side, which real templates rely on.
/// </summary>
internal sealed class Markup(string value)
{
    public string Value { get; } = value;

    public override string ToString() => Value;
}

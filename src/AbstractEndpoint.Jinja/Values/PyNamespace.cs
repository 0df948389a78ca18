namespace AbstractEndpoint.Jinja.Values;

/// <summary>The object <c>namespace(...)</c> returns: the one thing templates may assign attributes on.</summary>
internal sealed class PyNamespace(PyDict attributes)
{
    public PyDict Attributes { get; } = attributes;
}

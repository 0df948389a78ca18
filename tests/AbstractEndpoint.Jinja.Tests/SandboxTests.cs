namespace AbstractEndpoint.Jinja.Tests;

/// <summary>
/// Templates only ever see our Python-like values: probing for .NET or Python internals yields Jinja2's answers
/// (an undefined value that prints empty, or a SecurityError/UndefinedError), never a .NET member.
/// </summary>
public sealed class SandboxTests
{
    [Theory]
    [InlineData("{{ ''.__class__ }}")]
    [InlineData("{{ x.__class__ }}")]
    [InlineData("{{ cycler.__init__ }}")]
    [InlineData("{{ range.__globals__ }}")]
    [InlineData("{{ x.GetType }}")]
    [InlineData("{{ ''.Length }}")]
    [InlineData("{{ x.Count }}")]
    [InlineData("{{ namespace().ToString }}")]
    [InlineData("{{ [].Capacity }}")]
    public void Probing_internals_prints_nothing(string template)
    {
        Assert.Equal(string.Empty, Render.Text(template, new Dictionary<string, object?> { ["x"] = new Dictionary<string, object?> { ["a"] = 1 } }));
    }

    [Theory]
    [InlineData("{{ cycler.__init__.__globals__ }}", "SecurityError")]
    [InlineData("{{ ''.__class__.__mro__ }}", "SecurityError")]
    [InlineData("{{ ''.__class__() }}", "SecurityError")]
    [InlineData("{{ x.GetType() }}", "UndefinedError")]
    [InlineData("{{ ''.GetHashCode() }}", "UndefinedError")]
    [InlineData("{{ x.GetType().Assembly }}", "UndefinedError")]
    public void Using_internals_raises_the_jinja2_error(string template, string errorType)
    {
        var error = Assert.Throws<JinjaRenderException>(() =>
            Render.Text(template, new Dictionary<string, object?> { ["x"] = new Dictionary<string, object?>() }));
        Assert.Equal(errorType, error.ErrorType);
    }

    [Theory]
    [InlineData("{% set l = [1] %}{{ l.append(2) }}", "access to attribute 'append' of 'list' object is unsafe.")]
    [InlineData("{% set d = {'a': 1} %}{{ d.pop('a') }}", "access to attribute 'pop' of 'dict' object is unsafe.")]
    [InlineData("{% set d = {} %}{{ d.update({'a': 1}) }}", "access to attribute 'update' of 'dict' object is unsafe.")]
    [InlineData("{% set l = [2, 1] %}{{ l.sort() }}", "access to attribute 'sort' of 'list' object is unsafe.")]
    public void Mutating_builtin_containers_is_refused_like_the_immutable_sandbox(string template, string message)
    {
        var error = Assert.Throws<JinjaRenderException>(() => Render.Text(template));
        Assert.Equal("SecurityError", error.ErrorType);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Namespace_is_the_only_mutable_object()
    {
        Assert.Equal("3", Render.Text("{% set ns = namespace(n=1) %}{% set ns.n = ns.n + 2 %}{{ ns.n }}"));
        var error = Assert.Throws<JinjaRenderException>(() => Render.Text("{% set d = {'n': 1} %}{% set d.n = 2 %}"));
        Assert.Equal("cannot assign attribute on non-namespace object", error.Message);
    }

    [Fact]
    public void Context_objects_of_other_types_are_refused_not_exposed()
    {
        var template = JinjaTemplate.Parse("{{ x }}");
        Assert.Throws<ArgumentException>(() => template.Render(new Dictionary<string, object?> { ["x"] = new Uri("http://example.com") }));
        Assert.Throws<ArgumentException>(() => template.Render(new Dictionary<string, object?> { ["x"] = new object() }));
    }
}

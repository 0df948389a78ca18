namespace AbstractEndpoint.Jinja.Tests;

/// <summary>Error kinds, messages and line numbers.</summary>
public sealed class ErrorTests
{
    [Fact]
    public void Raise_exception_keeps_the_message_verbatim()
    {
        const string Message = "Conversation roles must alternate user/assistant/user/assistant/...";
        var error = Assert.Throws<JinjaRenderException>(() => Render.Text("{{ raise_exception('" + Message + "') }}"));
        Assert.Equal("TemplateError", error.ErrorType);
        Assert.Equal(Message, error.RaisedMessage);
        Assert.Equal(Message, error.Message);
    }

    [Fact]
    public void Raised_messages_are_computed_at_render_time()
    {
        var error = Assert.Throws<JinjaRenderException>(() =>
            Render.Text("{% if role != 'user' %}{{ raise_exception('Unexpected role: ' ~ role) }}{% endif %}", new Dictionary<string, object?> { ["role"] = "robot" }));
        Assert.Equal("Unexpected role: robot", error.RaisedMessage);
    }

    [Fact]
    public void Other_render_errors_have_no_raised_message()
    {
        var error = Assert.Throws<JinjaRenderException>(() => Render.Text("{{ missing + 1 }}"));
        Assert.Equal("UndefinedError", error.ErrorType);
        Assert.Equal("'missing' is undefined", error.Message);
        Assert.Null(error.RaisedMessage);
    }

    [Theory]
    [InlineData("{{ d.a.b }}", "'dict object' has no attribute 'a'")]
    [InlineData("{{ l[3] + 1 }}", "list object has no element 3")]
    [InlineData("{{ none.x + 1 }}", "'None' has no attribute 'x'")]
    [InlineData("{{ ('x' if false) ~ x.y }}", "'x' is undefined")]
    public void Undefined_errors_say_how_the_value_was_reached(string template, string message)
    {
        var context = new Dictionary<string, object?> { ["d"] = new Dictionary<string, object?>(), ["l"] = new List<object?> { 1 } };
        var error = Assert.Throws<JinjaRenderException>(() => Render.Text(template, context));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Syntax_errors_report_their_line()
    {
        var error = Assert.Throws<JinjaSyntaxException>(() => JinjaTemplate.Parse("line 1\n{% if x %}\nline 3 {{ 1 + }}\n{% endif %}"));
        Assert.Equal(3, error.Line);
        Assert.Equal("unexpected 'end of print statement'", error.Message);
    }

    [Fact]
    public void Unclosed_blocks_are_reported_like_jinja2()
    {
        var error = Assert.Throws<JinjaSyntaxException>(() => JinjaTemplate.Parse("{% for x in y %}\n{{ x }}\n"));
        Assert.Equal(
            "Unexpected end of template. Jinja was looking for the following tags: 'endfor' or 'else'. The innermost block that needs to be closed is 'for'.",
            error.Message);
    }

    [Fact]
    public void Render_errors_report_the_line_being_rendered()
    {
        var error = Assert.Throws<JinjaRenderException>(() => Render.Text("a\nb\n{% for i in [1] %}\n{{ 1 / 0 }}\n{% endfor %}"));
        Assert.Equal("ZeroDivisionError", error.ErrorType);
        Assert.Equal(4, error.Line);
    }

    [Theory]
    [InlineData("{% include 'other.jinja' %}")]
    [InlineData("{% extends 'base.jinja' %}")]
    [InlineData("{% import 'm.jinja' as m %}")]
    [InlineData("{{ x|wordwrap }}")]
    [InlineData("{% do x.append(1) %}")]
    public void Unsupported_or_unknown_constructs_fail_at_parse_time(string template)
    {
        Assert.Throws<JinjaSyntaxException>(() => JinjaTemplate.Parse(template));
    }

    [Fact]
    public void All_errors_share_one_base_type()
    {
        Assert.IsAssignableFrom<JinjaException>(Record.Exception(() => JinjaTemplate.Parse("{% if %}")));
        Assert.IsAssignableFrom<JinjaException>(Record.Exception(() => Render.Text("{{ 1 // 0 }}")));
        Assert.IsAssignableFrom<JinjaException>(Record.Exception(() => Render.Text("{{ 'a' * 10**10 }}")));
    }
}

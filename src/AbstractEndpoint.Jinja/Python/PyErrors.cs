namespace AbstractEndpoint.Jinja.Python;

/// <summary>Render errors named after the Python exceptions Jinja2 would raise.</summary>
internal static class PyErrors
{
    public static JinjaRenderException TypeError(string message) => new(message, "TypeError");

    public static JinjaRenderException ValueError(string message) => new(message, "ValueError");

    public static JinjaRenderException ZeroDivision(string message) => new(message, "ZeroDivisionError");

    public static JinjaRenderException Overflow(string message) => new(message, "OverflowError");

    public static JinjaRenderException IndexError(string message) => new(message, "IndexError");

    public static JinjaRenderException KeyError(string message) => new(message, "KeyError");

    public static JinjaRenderException Runtime(string message) => new(message, "TemplateRuntimeError");

    public static JinjaRenderException FilterArgument(string message) => new(message, "FilterArgumentError");

    public static JinjaRenderException UnsupportedOperands(string op, object? left, object? right) =>
        TypeError($"unsupported operand type(s) for {op}: '{PyTypeNames.Of(left)}' and '{PyTypeNames.Of(right)}'");
}

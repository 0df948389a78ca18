using System.Globalization;
using AbstractEndpoint.Host.Options;

namespace AbstractEndpoint.Host.Configuration;

/// <summary>A setting whose value is a <typeparamref name="T"/>: its typed default, parser and place in <see cref="EndpointOptions"/>.</summary>
internal sealed class EndpointSetting<T> : EndpointSetting
{
    private readonly Func<string, T> _parse;
    private readonly Func<EndpointOptions, T, EndpointOptions> _bind;

    /// <param name="name">The long flag without dashes, which is also the config-file key.</param>
    /// <param name="alias">The short flag, with its dash.</param>
    /// <param name="defaultValue">The value when nothing sets it.</param>
    /// <param name="parse">Text (a flag value, a variable, a config-file scalar) to value; throws <see cref="FormatException"/>.</param>
    /// <param name="bind">Puts the value into the options.</param>
    /// <param name="help">What the setting does.</param>
    /// <param name="shownDefault">How the default is written when not by its value (<c>auto</c> for a null).</param>
    /// <param name="describedDefault">A description instead of a value, for defaults that depend on the machine or the model.</param>
    public EndpointSetting(
        string name,
        string? alias,
        T defaultValue,
        Func<string, T> parse,
        Func<EndpointOptions, T, EndpointOptions> bind,
        string help,
        string? shownDefault = null,
        string? describedDefault = null)
        : base(name, alias, help, describedDefault ?? shownDefault ?? Show(defaultValue), defaultIsLiteral: describedDefault is null)
    {
        Default = defaultValue;
        _parse = parse;
        _bind = bind;
    }

    public T Default { get; }

    public override bool IsSwitch => typeof(T) == typeof(bool);

    public override EndpointOptions Apply(EndpointOptions options, string? text) => _bind(options, text is null ? Default : _parse(text));

    private static string Show(T value) => value switch
    {
        null => throw new ArgumentException("A null default needs a shown or described default."),
        bool b => b ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };
}

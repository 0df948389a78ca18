using AbstractEndpoint.Host.Options;

namespace AbstractEndpoint.Host.Configuration;

/// <summary>
/// One server setting, declared once (see <see cref="EndpointSettings"/>): its flag and short alias, its environment
/// variable, its config-file key, its default, how its text is parsed and checked, and its help. The command line,
/// the environment, the config file, <c>--help</c> and docs/configuration.md all come from (or are tested against)
/// these declarations, so adding a setting is one declaration.
/// </summary>
internal abstract class EndpointSetting
{
    /// <summary>Every setting's environment variable starts with this (the Python original's prefix).</summary>
    public const string EnvironmentPrefix = "ABSTRACTENDPOINT_";

    protected EndpointSetting(string name, string? alias, string help, string defaultText, bool defaultIsLiteral)
    {
        Name = name;
        Alias = alias;
        Help = help;
        DefaultText = defaultText;
        DefaultIsLiteral = defaultIsLiteral;
    }

    /// <summary>The long flag without its dashes (<c>ctx-size</c>); also the key in a config file.</summary>
    public string Name { get; }

    /// <summary>The long flag (<c>--ctx-size</c>).</summary>
    public string Flag => "--" + Name;

    /// <summary>The short flag (<c>-c</c>), or a former long flag still accepted (<c>--prompt-cache-ram</c>), if any.</summary>
    public string? Alias { get; }

    /// <summary>
    /// The setting's former name when its alias is a long flag: its environment variable and config-file key are
    /// still read, so a renamed setting keeps working everywhere it was set.
    /// </summary>
    public string? FormerName => Alias is { } alias && alias.StartsWith("--", StringComparison.Ordinal) ? alias[2..] : null;

    /// <summary><c>ABSTRACTENDPOINT_</c> and the name in capitals with underscores (<c>ABSTRACTENDPOINT_CTX_SIZE</c>).</summary>
    public string EnvironmentVariable => VariableOf(Name);

    /// <summary>The environment variable of <see cref="FormerName"/>, if any; the current one wins when both are set.</summary>
    public string? FormerEnvironmentVariable => FormerName is { } former ? VariableOf(former) : null;

    /// <summary>What the setting does, one or two sentences.</summary>
    public string Help { get; }

    /// <summary>The default as people see it: a value (<c>8001</c>) or, when it depends on something, a description.</summary>
    public string DefaultText { get; }

    /// <summary>True when <see cref="DefaultText"/> is a value one could type, false when it is a description.</summary>
    public bool DefaultIsLiteral { get; }

    /// <summary>A switch needs no value on the command line (<c>--flag</c> means true).</summary>
    public abstract bool IsSwitch { get; }

    /// <summary>False for the one setting a config file cannot hold: <c>config</c> itself.</summary>
    public bool AllowedInConfigFile { get; init; } = true;

    /// <summary>The <c>--help</c> text: the help, the environment variable and the default.</summary>
    public string HelpText => $"{Help} Env: {EnvironmentVariable}. Default: {DefaultText}.";

    /// <summary>Sets the setting on <paramref name="options"/>: parsed from <paramref name="text"/>, or its default when null.</summary>
    /// <exception cref="FormatException">The text is not a valid value; the message reads after the setting's name.</exception>
    public abstract EndpointOptions Apply(EndpointOptions options, string? text);

    private static string VariableOf(string name) => EnvironmentPrefix + name.ToUpperInvariant().Replace('-', '_');
}

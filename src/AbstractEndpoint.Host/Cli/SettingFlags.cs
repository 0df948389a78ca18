using System.CommandLine;
using AbstractEndpoint.Host.Configuration;

namespace AbstractEndpoint.Host.Cli;

/// <summary>
/// The command-line options made from the setting declarations: the long flag, the short alias, the help text.
/// Values are taken as text so that a flag is parsed and checked exactly as its environment variable is.
/// </summary>
internal sealed class SettingFlags
{
    private readonly List<(EndpointSetting Setting, Option Option)> _flags;

    public SettingFlags(IEnumerable<EndpointSetting> settings)
    {
        _flags = [.. settings.Select(setting => (setting, Create(setting)))];
    }

    public IEnumerable<Option> Options => _flags.Select(f => f.Option);

    /// <summary>The flags present on the command line, as text (a switch given without a value is "true").</summary>
    public Dictionary<EndpointSetting, string> Read(ParseResult result)
    {
        var given = new Dictionary<EndpointSetting, string>();
        foreach (var (setting, option) in _flags)
        {
            if (result.GetResult(option) is not { Implicit: false })
            {
                continue;
            }

            given[setting] = option switch
            {
                Option<bool> flag => result.GetValue(flag) ? "true" : "false",
                Option<string> text => result.GetValue(text) ?? "",
                _ => throw new InvalidOperationException($"unexpected option type for {setting.Flag}"),
            };
        }

        return given;
    }

    private static Option Create(EndpointSetting setting)
    {
        string[] aliases = setting.Alias is null ? [] : [setting.Alias];
        Option option = setting.IsSwitch
            ? new Option<bool>(setting.Flag, aliases) { Arity = ArgumentArity.ZeroOrOne }
            : new Option<string>(setting.Flag, aliases) { HelpName = setting.Name };
        option.Description = setting.HelpText;
        return option;
    }
}

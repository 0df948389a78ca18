using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.Host.Cli;
using AbstractEndpoint.Host.Configuration;
using AbstractEndpoint.Host.Options;

namespace AbstractEndpoint.Server.Tests.Cli;

/// <summary>
/// The one configuration model: every declared setting is a flag, an environment variable and a config-file key,
/// bound flag over environment over file over default, and every mistake is a usage error that says where it is.
/// </summary>
public sealed class ConfigurationTests : IDisposable
{
    /// <summary>A valid value unlike the default for every setting but <c>config</c> (a new setting needs one here).</summary>
    private static readonly Dictionary<string, string> Samples = new()
    {
        ["provider"] = "gguf",
        ["model"] = "m.gguf",
        ["hf-file"] = "m-Q8_0.gguf",
        ["base-url"] = "http://127.0.0.1:9/v1",
        ["upstream-api-key"] = "sk-upstream",
        ["host"] = "0.0.0.0",
        ["port"] = "9000",
        ["alias"] = "my-model",
        ["log-level"] = "debug",
        ["log-format"] = "json",
        ["metrics"] = "true",
        ["ctx-size"] = "1024",
        ["threads"] = "97",
        ["batch-size"] = "64",
        ["prefill-chunk"] = "32",
        ["target-itl-ms"] = "150",
        ["wave-hold"] = "auto",
        ["flash-attn"] = "on",
        ["n-gpu-layers"] = "all",
        ["main-gpu"] = "1",
        ["split-mode"] = "row",
        ["no-mmap"] = "true",
        ["mlock"] = "true",
        ["cache-type-k"] = "q8_0",
        ["cache-type-v"] = "q4_0",
        ["llama-native-dir"] = Path.GetTempPath(), // checked to exist when bound
        ["parallel"] = "2",
        ["max-queue"] = "5",
        ["chat-template"] = "chatml",
        ["chat-template-file"] = "template.jinja",
        ["reasoning-format"] = "none",
        ["pooling"] = "mean",
        ["embd-normalize"] = "-1",
        ["prompt-cache-max-entries"] = "8",
        ["prompt-cache-ttl"] = "60",
        ["cache-ram"] = "100",
        ["prompt-cache-dir"] = "/tmp/caches",
        ["responses-store"] = "false",
        ["responses-store-max-entries"] = "12",
        ["responses-store-ttl"] = "90",
        ["responses-kv-states"] = "3",
        ["strict-requests"] = "true",
        ["strict-model-name"] = "true",
        ["no-webui"] = "true",
        ["no-warmup"] = "true",
        ["api-key"] = "key-one,key-two",
        ["api-key-file"] = "keys.txt",
        ["cache-isolation"] = "shared",
        ["cors-origins"] = "https://a.example,https://b.example",
        ["cors-credentials"] = "true",
        ["max-body-bytes"] = "1000",
        ["timeout"] = "2.5",
        ["max-tokens-limit"] = "512",
        ["max-choices"] = "2",
        ["ssl-cert-file"] = "cert.pem",
        ["ssl-key-file"] = "key.pem",
    };

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("endpoint-config-");

    public static TheoryData<string> SettingNames() => [.. EndpointSettings.All.Where(s => s != EndpointSettings.Config).Select(s => s.Name)];

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Every_setting_has_a_sample_here()
    {
        Assert.Equal(EndpointSettings.All.Where(s => s != EndpointSettings.Config).Select(s => s.Name).Order(), Samples.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(SettingNames))]
    public void Every_setting_is_read_from_its_environment_variable_and_its_config_file_key(string name)
    {
        var setting = Setting(name);
        var fromFlag = Bind(flags: new() { [setting] = Samples[name] });

        Assert.NotEqual(Bind(), fromFlag);
        Assert.Equal(fromFlag, Bind(variables: new() { [setting.EnvironmentVariable] = Samples[name] }));
        Assert.Equal(fromFlag, Bind(variables: new() { ["ABSTRACTENDPOINT_CONFIG"] = Write("c.yaml", $"{name}: '{Samples[name]}'\n") }));
    }

    [Theory]
    [MemberData(nameof(SettingNames))]
    public void Every_variable_is_named_after_its_flag(string name)
    {
        var setting = Setting(name);

        Assert.Equal("ABSTRACTENDPOINT_" + name.ToUpperInvariant().Replace('-', '_'), setting.EnvironmentVariable);
        Assert.Equal("--" + name, setting.Flag);
    }

    [Fact]
    public void The_original_four_variables_keep_their_names()
    {
        Assert.Equal(
            ["ABSTRACTENDPOINT_PROVIDER", "ABSTRACTENDPOINT_MODEL", "ABSTRACTENDPOINT_HOST", "ABSTRACTENDPOINT_PORT"],
            new EndpointSetting[] { EndpointSettings.Provider, EndpointSettings.Model, EndpointSettings.Host, EndpointSettings.Port }.Select(s => s.EnvironmentVariable));
    }

    [Theory]
    [InlineData("ctx-size", "100", "200", "300")]
    [InlineData("port", "8100", "8200", "8300")]
    [InlineData("log-level", "debug", "warning", "error")]
    public void A_flag_beats_its_variable_which_beats_the_file_which_beats_the_default(string name, string flag, string variable, string file)
    {
        var setting = Setting(name);
        var config = Write("c.yaml", $"{name}: {file}\n");
        Dictionary<EndpointSetting, string> flags = new() { [EndpointSettings.Config] = config };
        Dictionary<EndpointSetting, string> flagsAndValue = new() { [EndpointSettings.Config] = config, [setting] = flag };
        Dictionary<string, string> env = new() { [setting.EnvironmentVariable] = variable };

        Assert.Equal(Bind(flags: new() { [setting] = flag }), Bind(flagsAndValue, env));
        Assert.Equal(Bind(flags: new() { [setting] = variable }), Bind(flags, env));
        Assert.Equal(Bind(flags: new() { [setting] = file }), Bind(flags));
        Assert.Equal(Bind(), Bind(variables: new() { [setting.EnvironmentVariable] = "  " }));
    }

    [Fact]
    public void Defaults_are_the_declarations_and_the_scheduler_shares_its_own()
    {
        var defaults = Bind();

        Assert.Equal(new EndpointOptions { Model = EndpointSettings.Model.Default }, defaults);
        Assert.Equal("Qwen/Qwen3-4B-GGUF:Q4_K_M", defaults.Model);
        Assert.Equal(new SchedulerOptions().CacheRamBytes, defaults.CacheRamBytes);
        Assert.Equal(new SchedulerOptions().MaxQueue, defaults.MaxQueue);
        Assert.Equal(new SchedulerOptions().PrefillChunkWhileGenerating, defaults.PrefillChunk);
    }

    [Fact]
    public void A_JSON_file_is_read_with_numbers_booleans_strings_and_nulls()
    {
        var path = Write("settings.json", """
            {
              // Comments and a trailing comma are allowed.
              "model": "from-file.gguf",
              "ctx-size": 4096,
              "prompt-cache-ttl": 2.5,
              "flash-attn": "off",
              "alias": null,
            }
            """);

        var options = Bind(flags: new() { [EndpointSettings.Config] = path });

        Assert.Equal("from-file.gguf", options.Model);
        Assert.Equal(4096, options.ContextSize);
        Assert.Equal(2.5, options.PromptCacheTtlSeconds);
        Assert.False(options.FlashAttention);
        Assert.Equal("from-file.gguf", options.ModelId);
    }

    [Fact]
    public void A_YAML_file_is_read_and_empty_values_count_as_unset()
    {
        var path = Write("settings.yaml", """
            # abstractcore-endpoint settings
            model: from-file.gguf
            ctx-size: 4096
            host: "::1"
            reasoning-format: none
            alias:
            """);

        var options = Bind(flags: new() { [EndpointSettings.Config] = path });

        Assert.Equal("from-file.gguf", options.Model);
        Assert.Equal(4096, options.ContextSize);
        Assert.Equal("::1", options.Host);
        Assert.Equal(AbstractEndpoint.StructuredOutput.ReasoningFormat.None, options.ReasoningFormat);
        Assert.Null(options.Alias);
    }

    [Fact]
    public void The_flag_beats_the_variable_naming_the_config_file()
    {
        var fromFlag = Write("flag.yaml", "port: 8100\n");
        var fromVariable = Write("variable.yaml", "port: 8200\n");

        var options = Bind(new() { [EndpointSettings.Config] = fromFlag }, new() { ["ABSTRACTENDPOINT_CONFIG"] = fromVariable });

        Assert.Equal(8100, options.Port);
    }

    [Theory]
    [InlineData("c.yaml", "ctx_size: 5\n", "'ctx_size' in {0} (line 1) is not a setting; did you mean 'ctx-size'?")]
    [InlineData("c.yaml", "model: m.gguf\nwhatever: 5\n", "'whatever' in {0} (line 2) is not a setting. Keys are the long flag names without dashes: provider, model,")]
    [InlineData("c.json", "{\"--port\": 5}", "'--port' in {0} is not a setting; did you mean 'port'?")]
    [InlineData("c.yaml", "port: eighty\n", "'port' in {0} (line 1) must be a whole number, got 'eighty'.")]
    [InlineData("c.yaml", "parallel:\n  - 1\n  - 2\n", "'parallel' in {0} (line 1) must be a single value, not a list or mapping.")]
    [InlineData("c.json", "{\"parallel\": [1]}", "'parallel' in {0} must be a single value, not an array.")]
    [InlineData("c.yaml", "config: other.yaml\n", "'config' in {0} (line 1): a config file cannot name another config file.")]
    [InlineData("c.yaml", "port: 1\nport: 2\n", "the config file {0} is not valid YAML")]
    [InlineData("c.json", "{\"port\": 1, \"port\": 2}", "'port' appears twice in {0}.")]
    [InlineData("c.json", "{\"port\": ", "the config file {0} is not valid JSON")]
    [InlineData("c.yaml", "- port\n", "the config file {0} must hold one mapping of settings")]
    public async Task A_bad_config_file_is_a_usage_error_that_says_where(string file, string content, string expected)
    {
        var path = Write(file, content);

        var (code, error) = await RunAsync(["--config", path]);

        Assert.Equal(2, code);
        Assert.Contains("abstractcore-endpoint: " + string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, path), error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_config_path_that_leads_nowhere_is_a_usage_error()
    {
        var path = Path.Combine(_dir.FullName, "missing", "settings.yaml");

        var (code, error) = await RunAsync(["--config", path]);

        Assert.Equal(2, code);
        Assert.Contains($"config file not found: {path}.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_variable_names_the_variable()
    {
        var (code, error) = await RunAsync(["--model", "m.gguf"], new() { ["ABSTRACTENDPOINT_CTX_SIZE"] = "0" });

        Assert.Equal(2, code);
        Assert.Contains("ABSTRACTENDPOINT_CTX_SIZE must be at least 1, got 0.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_flag_is_a_usage_error()
    {
        var (code, error) = await RunAsync(["--model", "m.gguf", "--ctx", "5"]);

        Assert.Equal(2, code);
        Assert.Contains("--ctx", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_former_name_of_cache_ram_still_sets_it_as_a_flag_a_variable_and_a_config_key()
    {
        EndpointOptions? captured = null;
        var code = await EndpointCommand.RunAsync(["--prompt-cache-ram", "100"], new VariableTable([]), (options, _) =>
        {
            captured = options;
            return Task.FromResult(0);
        }, error: TextWriter.Null);
        var expected = Bind(flags: new() { [EndpointSettings.CacheRam] = "100" });

        Assert.Equal(0, code);
        Assert.Equal(100L << 20, expected.CacheRamBytes);
        Assert.Equal(expected, captured);
        Assert.Equal(expected, Bind(variables: new() { ["ABSTRACTENDPOINT_PROMPT_CACHE_RAM"] = "100" }));
        Assert.Equal(expected, Bind(variables: new() { ["ABSTRACTENDPOINT_CONFIG"] = Write("former.yaml", "prompt-cache-ram: 100\n") }));
        // The current name wins over the former one.
        Assert.Equal(expected, Bind(variables: new()
        {
            ["ABSTRACTENDPOINT_CACHE_RAM"] = "100",
            ["ABSTRACTENDPOINT_PROMPT_CACHE_RAM"] = "7",
        }));
    }

    [Fact]
    public async Task A_short_alias_sets_the_same_setting()
    {
        EndpointOptions? captured = null;
        var code = await EndpointCommand.RunAsync(["-c", "512", "-t", "3", "-b", "32", "-fa", "off", "-np", "2"], new VariableTable([]), (options, _) =>
        {
            captured = options;
            return Task.FromResult(0);
        }, error: TextWriter.Null);

        Assert.Equal(0, code);
        Assert.Equal(
            Bind(flags: new()
            {
                [EndpointSettings.CtxSize] = "512",
                [EndpointSettings.Threads] = "3",
                [EndpointSettings.BatchSize] = "32",
                [EndpointSettings.FlashAttn] = "off",
                [EndpointSettings.Parallel] = "2",
            }),
            captured);
    }

    [Theory]
    [InlineData(new string[0], null, false)]
    [InlineData(new[] { "--strict-thing" }, null, true)]
    [InlineData(new[] { "--strict-thing", "false" }, null, false)]
    [InlineData(new[] { "--strict-thing", "true" }, "0", true)]
    [InlineData(new string[0], "yes", true)]
    [InlineData(new string[0], "off", false)]
    public void A_boolean_setting_is_a_switch_on_the_command_line(string[] args, string? variable, bool expected)
    {
        // Stands in for a future on/off setting: declared the same way, bound the same way.
        var strict = new EndpointSetting<bool>(
            "strict-thing", null, false, SettingParsers.Boolean, (options, value) => options with { Alias = value ? "strict" : "lenient" }, "A switch.");
        var flags = new SettingFlags([strict]);
        var command = new System.CommandLine.RootCommand();
        foreach (var option in flags.Options)
        {
            command.Options.Add(option);
        }

        var parsed = command.Parse(args);
        var options = EndpointOptionsBinder.Bind(
            flags.Read(parsed), name => name == strict.EnvironmentVariable ? variable : null, [strict]);

        Assert.Empty(parsed.Errors);
        Assert.True(strict.IsSwitch);
        Assert.Equal(expected ? "strict" : "lenient", options.Alias);
    }

    private static EndpointSetting Setting(string name) => EndpointSettings.All.Single(s => s.Name == name);

    private static EndpointOptions Bind(Dictionary<EndpointSetting, string>? flags = null, Dictionary<string, string>? variables = null) =>
        EndpointOptionsBinder.Bind(flags ?? [], name => variables?.GetValueOrDefault(name));

    private static async Task<(int Code, string Error)> RunAsync(string[] args, Dictionary<string, string>? variables = null)
    {
        using var error = new StringWriter();
        var code = await EndpointCommand.RunAsync(args, new VariableTable(variables ?? []), (_, _) => Task.FromResult(0), error: error);
        return (code, error.ToString());
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }
}

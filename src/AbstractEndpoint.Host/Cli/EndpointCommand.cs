using System.CommandLine;
using AbstractEndpoint.Host.Configuration;
using AbstractEndpoint.Host.Hosting;
using AbstractEndpoint.Host.Options;

namespace AbstractEndpoint.Host.Cli;

/// <summary>
/// The <c>abstractcore-endpoint</c> command line. Its flags, their environment variables (<c>ABSTRACTENDPOINT_*</c>),
/// config-file keys and defaults are declared once in <see cref="EndpointSettings"/>; a flag beats its variable, which
/// beats the config file, which beats the default. Any mistake in them exits with code 2 and one line saying why.
/// </summary>
internal static class EndpointCommand
{
    private const string CommandName = "abstractcore-endpoint";

    /// <summary>Parses the command line and runs the server (or <paramref name="run"/>, for tests).</summary>
    /// <param name="args">The command line.</param>
    /// <param name="environment">Environment variables; the process's when null.</param>
    /// <param name="run">What to do with the bound options; the server when null.</param>
    /// <param name="output">Where help goes; standard output when null.</param>
    /// <param name="error">Where usage errors go; standard error when null.</param>
    public static async Task<int> RunAsync(
        string[] args,
        IEnvironment? environment = null,
        Func<EndpointOptions, CancellationToken, Task<int>>? run = null,
        TextWriter? output = null,
        TextWriter? error = null)
    {
        var env = environment ?? ProcessEnvironment.Instance;
        var errors = error ?? Console.Error;
        run ??= EndpointServer.RunAsync;

        var flags = new SettingFlags(EndpointSettings.All);
        var root = new RootCommand("AbstractEndpoint: a single-model OpenAI-compatible /v1 server for GGUF models (llama.cpp in-process).");
        foreach (var option in flags.Options)
        {
            root.Options.Add(option);
        }

        root.Subcommands.Add(RenderTemplateCommand.Create());
        root.SetAction(async (result, cancellationToken) =>
        {
            EndpointOptions options;
            try
            {
                options = EndpointOptionsBinder.Bind(flags.Read(result), env.Get);
            }
            catch (UsageException ex)
            {
                await errors.WriteLineAsync($"{CommandName}: {ex.Message}").ConfigureAwait(false);
                return 2;
            }

            if (options.Model == EndpointSettings.Model.Default)
            {
                await errors.WriteLineAsync(
                    $"{CommandName}: serving {options.Model}, the default model (--model picks another); it is downloaded into the Hugging Face cache if missing.").ConfigureAwait(false);
            }

            try
            {
                return await run(options, cancellationToken).ConfigureAwait(false);
            }
            catch (UsageException ex)
            {
                // Settings checked when the server is built (an unreadable --api-key-file): the same one line, code 2.
                await errors.WriteLineAsync($"{CommandName}: {ex.Message}").ConfigureAwait(false);
                return 2;
            }
        });

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // A mistyped flag is a usage error like a bad value: code 2, not System.CommandLine's 1.
            foreach (var parseError in parsed.Errors)
            {
                await errors.WriteLineAsync($"{CommandName}: {parseError.Message}").ConfigureAwait(false);
            }

            await errors.WriteLineAsync($"Run '{CommandName} --help' for the flags.").ConfigureAwait(false);
            return 2;
        }

        // The web host handles SIGTERM itself (stop accepting, drain, exit 0); System.CommandLine's own handler
        // would end the process after two seconds and cut running streams.
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
        if (output is not null)
        {
            invocation.Output = output;
        }

        if (error is not null)
        {
            invocation.Error = error;
        }

        return await parsed.InvokeAsync(invocation).ConfigureAwait(false);
    }
}

using System.CommandLine;
using AbstractEndpoint.Gguf;

namespace AbstractEndpoint.Bench.Commands;

/// <summary>
/// Wraps subcommand actions so that expected failures (bad arguments, unreadable files) print one clear line and
/// exit with code 2 instead of a stack trace.
/// </summary>
internal static class CommandAction
{
    public const int UsageError = 2;

    public static Func<ParseResult, int> Guarded(Func<ParseResult, int> action) => parse =>
    {
        try
        {
            return action(parse);
        }
        catch (Exception e) when (IsExpected(e))
        {
            return Report(e);
        }
    };

    public static Func<ParseResult, CancellationToken, Task<int>> Guarded(
        Func<ParseResult, CancellationToken, Task<int>> action) => async (parse, cancellationToken) =>
    {
        try
        {
            return await action(parse, cancellationToken);
        }
        catch (Exception e) when (IsExpected(e))
        {
            return Report(e);
        }
    };

    private static bool IsExpected(Exception e) =>
        e is ArgumentException or GgufFormatException or IOException or UnauthorizedAccessException or NotSupportedException;

    private static int Report(Exception e)
    {
        // ArgumentException appends "(Parameter 'x')", which means nothing to someone typing a command line.
        var message = e is ArgumentException { ParamName: { } name }
            ? e.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal)
            : e.Message;
        Console.Error.WriteLine($"error: {message}");
        return UsageError;
    }
}

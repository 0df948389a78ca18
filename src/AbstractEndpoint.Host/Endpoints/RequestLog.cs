using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Host.Endpoints;

/// <summary>Debug lines about what a lenient request asked for and did not get (the parsers are pure; routes log).</summary>
internal static partial class RequestLog
{
    public static void Ignored(ILogger logger, string route, IReadOnlyList<IgnoredField> ignored)
    {
        if (ignored.Count > 0 && logger.IsEnabled(LogLevel.Debug))
        {
            LogIgnored(logger, route, string.Join(", ", ignored));
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Route}: request fields accepted without effect: {Fields}")]
    private static partial void LogIgnored(ILogger logger, string route, string fields);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Route}: model '{Requested}' asked for; answered by the served model '{Served}'")]
    public static partial void OtherModelName(ILogger logger, string route, string requested, string served);
}

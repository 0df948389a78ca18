using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Prompting.Templates;

namespace AbstractEndpoint.Host.Hosting;

/// <summary>Picks the chat template for the loaded model (see <see cref="ChatTemplateResolver"/>) and logs a fallback.</summary>
internal static partial class ChatTemplateSelection
{
    public static IChatTemplate Select(EndpointOptions options, string? modelTemplate, ILogger logger) =>
        ChatTemplateResolver.Resolve(options.ChatTemplate, options.ChatTemplateFile, modelTemplate, reason => LogFallback(logger, reason));

    [LoggerMessage(Level = LogLevel.Warning, Message = "using ChatML: {Reason}")]
    private static partial void LogFallback(ILogger logger, string reason);
}

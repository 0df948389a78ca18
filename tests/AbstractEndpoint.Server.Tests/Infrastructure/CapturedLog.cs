using Microsoft.Extensions.Logging;

namespace AbstractEndpoint.Server.Tests.Infrastructure;

/// <summary>One log entry as <see cref="CapturedLogs"/> kept it: the message and its structured fields.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Fields);

using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AbstractEndpoint.Server.Tests.Infrastructure;

/// <summary>
/// A logger provider that keeps what one category prefix logs (message and structured fields), added to a server
/// through <see cref="RunningServer.StartAsync"/>'s service hook; its level is opened to Debug for that prefix only.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();
    private readonly string _categoryPrefix;

    public CapturedLogs(string categoryPrefix) => _categoryPrefix = categoryPrefix;

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    public void AddTo(IServiceCollection services)
    {
        services.AddSingleton<ILoggerProvider>(this);
        services.Configure<LoggerFilterOptions>(filters =>
            filters.Rules.Add(new LoggerFilterRule(typeof(CapturedLogs).FullName, _categoryPrefix, LogLevel.Debug, filter: null)));
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => category.StartsWith(owner._categoryPrefix, StringComparison.Ordinal);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                var fields = (state as IEnumerable<KeyValuePair<string, object?>>)?.ToDictionary(p => p.Key, p => p.Value) ?? [];
                owner._entries.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception), fields));
            }
        }
    }
}

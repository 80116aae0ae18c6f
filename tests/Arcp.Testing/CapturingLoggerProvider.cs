using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Arcp.Testing;

/// <summary>Every log line with its event id and structured values: to prove what is logged, and that secrets never are.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    /// <summary>Lines as <c>[event id] message key=value;… exception</c>.</summary>
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            owner.Lines.Enqueue($"[{eventId.Id}] {formatter(state, exception)} {values} {exception}");
        }
    }
}

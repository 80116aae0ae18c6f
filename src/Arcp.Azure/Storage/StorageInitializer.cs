using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Arcp.Azure.Storage;

/// <summary>Creates the runtime's tables and container at start-up, retrying while storage is not reachable yet.</summary>
internal sealed partial class StorageInitializer(ArcpStorage storage, TimeProvider timeProvider, ILogger<StorageInitializer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await storage.EnsureCreatedAsync(stoppingToken).ConfigureAwait(false);
                LogReady(logger);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested && ex is not OutOfMemoryException)
            {
                LogNotReady(logger, ex, attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 10)), timeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Storage tables are ready")]
    private static partial void LogReady(ILogger logger);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Storage not ready yet (attempt {Attempt})")]
    private static partial void LogNotReady(ILogger logger, Exception exception, int attempt);
}

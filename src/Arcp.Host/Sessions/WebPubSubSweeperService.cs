using Arcp.Azure.WebPubSub;
using Arcp.Runtime.Supervision;

namespace Arcp.Host.Sessions;

/// <summary>
/// Runs the Web PubSub sweep every second (flush stragglers, heartbeats) while the host runs. A failed sweep (storage
/// down) is logged and retried with backoff; it never ends the loop or the host.
/// </summary>
internal sealed partial class WebPubSubSweeperService(IServiceProvider services, TimeProvider timeProvider, ILogger<WebPubSubSweeperService> logger) : BackgroundService
{
    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<WebPubSubSweeper>() is not { } sweeper)
        {
            return;
        }

        var backoff = new FailureBackoff(timeProvider, s_interval, TimeSpan.FromSeconds(30));
        using var timer = new PeriodicTimer(s_interval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await sweeper.SweepAsync(stoppingToken).ConfigureAwait(false);
                    backoff.Succeeded();
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested && ex is not OutOfMemoryException)
                {
                    var wait = backoff.Failed();
                    LogSweepFailed(logger, ex, backoff.Failures, wait);
                    await Task.Delay(wait, timeProvider, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    [LoggerMessage(EventId = 4111, Level = LogLevel.Warning, Message = "Web PubSub sweep failed ({Failures} in a row); retrying in {Delay}")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception, int failures, TimeSpan delay);
}

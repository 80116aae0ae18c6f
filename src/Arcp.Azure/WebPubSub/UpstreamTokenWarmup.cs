using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Arcp.Azure.WebPubSub;

/// <summary>
/// Fetches the upstream token authority's metadata at start-up, retrying until it succeeds: a cold start plus a
/// metadata fetch inside a blocking <c>connect</c> risks the service's upstream timeout.
/// </summary>
internal sealed partial class UpstreamTokenWarmup(UpstreamTokenValidator validator, TimeProvider timeProvider, ILogger<UpstreamTokenWarmup> logger) : BackgroundService
{
    private static readonly TimeSpan s_firstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_maxRetry = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!validator.IsEnabled)
        {
            return;
        }

        var delay = s_firstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await validator.WarmAsync(stoppingToken).ConfigureAwait(false);
                LogWarmed(logger);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogWarmFailed(logger, delay, ex);
            }

            try
            {
                await Task.Delay(delay, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, s_maxRetry.Ticks));
        }
    }

    [LoggerMessage(EventId = 6202, Level = LogLevel.Information, Message = "Upstream token authority metadata fetched")]
    private static partial void LogWarmed(ILogger logger);

    [LoggerMessage(EventId = 6203, Level = LogLevel.Warning, Message = "Could not fetch the upstream token authority metadata; retrying in {Delay}")]
    private static partial void LogWarmFailed(ILogger logger, TimeSpan delay, Exception exception);
}

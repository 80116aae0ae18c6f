using Arcp.Runtime.Jobs;
using Arcp.Runtime.Jobs.Sweeping;
using Microsoft.Extensions.Options;

namespace Arcp.Host.Jobs;

/// <summary>Runs <see cref="JobSweeper"/> on a timer. Every node sweeps; the repairs are idempotent, so no leader is needed.</summary>
internal sealed partial class JobSweeperService(
    JobSweeper sweeper,
    IJobScheduler scheduler,
    IOptions<JobSweeperOptions> options,
    TimeProvider timeProvider,
    ILogger<JobSweeperService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await sweeper.SweepAsync(scheduler, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested && ex is not OutOfMemoryException)
                {
                    // Storage down (an SDK timeout included): the next tick tries again.
                    LogSweepFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Job sweep failed; retrying on the next tick")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}

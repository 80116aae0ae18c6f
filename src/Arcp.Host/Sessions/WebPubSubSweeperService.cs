using Arcp.Azure.WebPubSub;

namespace Arcp.Host.Sessions;

/// <summary>Runs the Web PubSub sweep every second (flush stragglers, heartbeats) while the host runs.</summary>
internal sealed class WebPubSubSweeperService(IServiceProvider services, TimeProvider timeProvider) : BackgroundService
{
    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<WebPubSubSweeper>() is not { } sweeper)
        {
            return;
        }

        using var timer = new PeriodicTimer(s_interval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await sweeper.SweepAsync(stoppingToken);
        }
    }
}

using Arcp.Azure.WebPubSub;
using Arcp.Functions.Jobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Arcp.Functions.Sessions;

/// <summary>
/// The Web PubSub sweep (stragglers, heartbeats) on a timer: the shared <see cref="WebPubSubSweeper"/>, which exists
/// only when Web PubSub is configured; without it the timer does nothing.
/// </summary>
public sealed class WebPubSubSweeperFunction(IEnumerable<WebPubSubSweeper> sweepers)
{
    /// <summary>Every 5 seconds: heartbeat loss is noticed within one interval of the two-interval limit.</summary>
    public const string Schedule = "*/5 * * * * *";

    [Function("WebPubSubSweeper")]
    public async Task RunAsync([TimerTrigger(Schedule)] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        using (AmbientJobScheduler.Bind(client))
        {
            foreach (var sweeper in sweepers)
            {
                await sweeper.SweepAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}

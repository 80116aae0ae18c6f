using Arcp.Azure.WebPubSub;
using Microsoft.Azure.Functions.Worker;

namespace Arcp.Functions.Sessions;

/// <summary>The Web PubSub sweep (stragglers, heartbeats) on a timer: the shared <see cref="WebPubSubSweeper"/>.</summary>
public sealed class WebPubSubSweeperFunction(WebPubSubSweeper sweeper)
{
    /// <summary>Every 5 seconds: heartbeat loss is noticed within one interval of the two-interval limit.</summary>
    public const string Schedule = "*/5 * * * * *";

    [Function("WebPubSubSweeper")]
    public Task RunAsync([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken) => sweeper.SweepAsync(cancellationToken);
}

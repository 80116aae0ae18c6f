namespace Arcp.Testing.Faults;

/// <summary>How often each storage fault happens. Probabilities are per request and drawn in this order.</summary>
public sealed record FaultScheduleOptions
{
    /// <summary>Seed of the draws: the same seed gives the same sequence of decisions.</summary>
    public int Seed { get; init; } = 12;

    /// <summary>Probability of a <c>503 ServerBusy</c> answer.</summary>
    public double ServerBusy { get; init; }

    /// <summary>Probability of a <c>500 OperationTimedOut</c> answer.</summary>
    public double OperationTimedOut { get; init; }

    /// <summary>Probability that the request is forwarded (and commits) but its reply is lost.</summary>
    public double ReplyLost { get; init; }

    /// <summary>Probability of an added delay between <see cref="MinLatency"/> and <see cref="MaxLatency"/>.</summary>
    public double Latency { get; init; }

    public TimeSpan MinLatency { get; init; } = TimeSpan.FromMilliseconds(1500);

    public TimeSpan MaxLatency { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Length of every periodic outage window (zero: no windows). Every request in a window gets 503.</summary>
    public TimeSpan OutageLength { get; init; }

    /// <summary>A window opens at the end of every period, counted from the schedule's creation.</summary>
    public TimeSpan OutagePeriod { get; init; } = TimeSpan.FromSeconds(25);

    /// <summary>The faults of the storage issue: 3 % 503/500, 2 % lost replies, 1 % slowed 1.5–3 s, 6 s of outage every 25 s.</summary>
    public static FaultScheduleOptions Storm(int seed) => new()
    {
        Seed = seed,
        ServerBusy = 0.02,
        OperationTimedOut = 0.01,
        ReplyLost = 0.02,
        Latency = 0.01,
        OutageLength = TimeSpan.FromSeconds(6),
        OutagePeriod = TimeSpan.FromSeconds(25),
    };
}

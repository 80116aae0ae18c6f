using System.Collections.Concurrent;

namespace Arcp.Testing.Faults;

/// <summary>
/// A seeded, reproducible sequence of storage faults shared by <see cref="FaultInjectionPolicy"/> and
/// <see cref="StorageFaultProxy"/>. The n-th request draws the n-th decision of the seed; outage windows depend on the
/// clock only. Counts what it injected, by kind, for reports.
/// </summary>
public sealed class FaultSchedule
{
    private readonly FaultScheduleOptions _options;
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly Random _random;
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<FaultKind, long> _counts = new();
    private volatile bool _enabled = true;
    private volatile bool _forcedOutage;

    public FaultSchedule(FaultScheduleOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.ServerBusy + options.OperationTimedOut + options.ReplyLost + options.Latency, 1.0, nameof(options));
        if (options.OutageLength > TimeSpan.Zero)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.OutagePeriod, options.OutageLength, nameof(options));
        }

        _options = options;
        _time = time ?? TimeProvider.System;
        _start = _time.GetTimestamp();
        _random = new Random(options.Seed);
    }

    public FaultScheduleOptions Options => _options;

    /// <summary>Requests decided so far (faulty or not).</summary>
    public long Requests => Count(FaultKind.None) + InjectedTotal;

    /// <summary>Faults injected so far, every kind but <see cref="FaultKind.None"/>.</summary>
    public long InjectedTotal => _counts.Where(c => c.Key != FaultKind.None).Sum(c => c.Value);

    /// <summary>While false, every request passes untouched and nothing is drawn (set-up and assertions of a test).</summary>
    public bool Enabled
    {
        get => _enabled;
        set => _enabled = value;
    }

    /// <summary>Requests decided as <paramref name="kind"/> so far.</summary>
    public long Count(FaultKind kind) => _counts.TryGetValue(kind, out var n) ? n : 0;

    /// <summary>Counts by kind, for a report.</summary>
    public IReadOnlyDictionary<FaultKind, long> Snapshot() => Enum.GetValues<FaultKind>().ToDictionary(k => k, Count);

    /// <summary>One line such as <c>ServerBusy=3 OperationTimedOut=1 ...</c>.</summary>
    public string Report() => string.Join(' ', Snapshot().Select(c => $"{c.Key}={c.Value}"));

    /// <summary>Opens an outage on demand: every request gets 503 until <see cref="EndOutage"/>.</summary>
    public void BeginOutage() => _forcedOutage = true;

    public void EndOutage() => _forcedOutage = false;

    /// <summary>Whether an outage (periodic window or forced) is open now.</summary>
    public bool InOutage
    {
        get
        {
            if (_forcedOutage)
            {
                return true;
            }

            if (_options.OutageLength <= TimeSpan.Zero)
            {
                return false;
            }

            var elapsed = _time.GetElapsedTime(_start);
            var intoPeriod = TimeSpan.FromTicks(elapsed.Ticks % _options.OutagePeriod.Ticks);
            return intoPeriod >= _options.OutagePeriod - _options.OutageLength;
        }
    }

    /// <summary>Decides the next request's fault and counts it.</summary>
    public FaultDecision Next()
    {
        if (!_enabled)
        {
            return FaultDecision.None;
        }

        var decision = InOutage ? new FaultDecision(FaultKind.Outage, TimeSpan.Zero) : Draw();
        _counts.AddOrUpdate(decision.Kind, 1, (_, n) => n + 1);
        return decision;
    }

    private FaultDecision Draw()
    {
        double roll, latency;
        lock (_gate)
        {
            // Two draws per request whatever the outcome, so the n-th request's decision depends on the seed only.
            roll = _random.NextDouble();
            latency = _random.NextDouble();
        }

        var o = _options;
        var edge = o.ServerBusy;
        if (roll < edge)
        {
            return new FaultDecision(FaultKind.ServerBusy, TimeSpan.Zero);
        }

        if (roll < (edge += o.OperationTimedOut))
        {
            return new FaultDecision(FaultKind.OperationTimedOut, TimeSpan.Zero);
        }

        if (roll < (edge += o.ReplyLost))
        {
            return new FaultDecision(FaultKind.ReplyLost, TimeSpan.Zero);
        }

        if (roll < edge + o.Latency)
        {
            var delay = o.MinLatency + ((o.MaxLatency - o.MinLatency) * latency);
            return new FaultDecision(FaultKind.Latency, delay);
        }

        return FaultDecision.None;
    }
}

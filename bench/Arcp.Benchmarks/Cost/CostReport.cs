using System.Text.Json;
using System.Text.Json.Serialization;

namespace Arcp.Benchmarks.Cost;

/// <summary>The measured usage the capacity calculator reads: written by the <c>cost</c> suite as JSON.</summary>
internal sealed record CostReport
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public required DateTimeOffset Measured { get; init; }

    public required int Cores { get; init; }

    /// <summary>One node with nothing to do, per second: Durable's queue polling, our background loops.</summary>
    public required WorkloadCost Idle { get; init; }

    /// <summary>Per <c>echo</c> job, 8 in flight on one session.</summary>
    public required WorkloadCost Echo { get; init; }

    /// <summary>Per 1,000 events of one <c>burst</c> job to one session.</summary>
    public required WorkloadCost StreamOneJob { get; init; }

    /// <summary>Per 1,000 events of 8 <c>burst</c> jobs into one session.</summary>
    public required WorkloadCost StreamEightJobs { get; init; }

    /// <summary>Per session: connect, hello, welcome, close.</summary>
    public required WorkloadCost Sessions { get; init; }

    /// <summary>Per connected idle session, per second (over the idle node's own traffic).</summary>
    public required WorkloadCost IdleSessions { get; init; }

    /// <summary>
    /// Per second a job is in flight with its session connected, beyond what its job unit already counts: the
    /// runner's state polls and owner-lease renewals, the session's delivery polls. Absent from older reports.
    /// </summary>
    public WorkloadCost? InFlight { get; init; }

    /// <summary>Per session, when many sessions of one principal close at once (their slot row is one row). Absent from older reports.</summary>
    public WorkloadCost? BulkClose { get; init; }

    /// <summary>Everything at once, totals: the model's prediction is checked against it.</summary>
    public MixedRun? Mixed { get; init; }

    /// <summary>The machine's 1-minute load average when the run ended (other processes share the cores).</summary>
    public double LoadAverage { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    public static CostReport FromJson(string json) => JsonSerializer.Deserialize<CostReport>(json, s_json) ?? throw new InvalidDataException("The cost report is empty.");
}

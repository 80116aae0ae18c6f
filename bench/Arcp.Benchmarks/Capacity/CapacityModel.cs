using Arcp.Benchmarks.Cost;

namespace Arcp.Benchmarks.Capacity;

/// <summary>
/// The capacity model as code: measured usage per job, per 1,000 events and per session (a <see cref="CostReport"/>),
/// a <see cref="LoadShape"/> and the published <see cref="AzureLimits"/> give each resource's headroom, the first limit
/// to bite, the instances needed and a monthly bill at <see cref="Prices"/>.
/// </summary>
internal sealed class CapacityModel(CostReport usage, AzureLimits limits, Prices prices)
{
    private const double SecondsPerMonth = 30 * 24 * 3600;

    /// <summary>Telemetry items one job produces (request, dependencies, traces): an assumption, not measured here.</summary>
    public const double TelemetryItemsPerJob = 8;

    /// <summary>Bytes of one telemetry item, as ingested (assumption).</summary>
    public const double TelemetryBytesPerItem = 1_000;

    /// <summary>Function executions per job: the submit message, three orchestrator episodes, the agent and finish activities (assumption).</summary>
    public const double ExecutionsPerJob = 6;

    /// <summary>Function executions per session: connect, connected, disconnected, hello (assumption).</summary>
    public const double ExecutionsPerSession = 4;

    /// <summary>Frames one job sends besides its events: <c>job.accepted</c> and the terminal one.</summary>
    public const double FramesPerJob = 2;

    /// <summary><c>echo</c> jobs the cost suite keeps in flight on its session while it measures the per-job unit.</summary>
    public const double EchoJobsInFlight = 8;

    private readonly WorkloadCost _echo = usage.Echo.Less(usage.Idle);
    private readonly WorkloadCost _stream = usage.StreamOneJob.Less(usage.Idle);
    private readonly WorkloadCost _sessions = usage.Sessions.Less(usage.Idle);

    public CapacityEstimate Evaluate(LoadShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var cpu = Rate(shape, w => w.HostCpuSeconds, gross: true);
        // Instances the work needs: its CPU, or the agent runs it holds at once, whichever asks more.
        var demand = Math.Max(cpu / limits.VcpuPerInstance, shape.ConcurrentJobs / limits.ActivitiesPerInstance);
        var instances = shape.JobsPerMinute <= 0 && shape.ConnectedSessions <= 0
            ? 0
            : Math.Max(1, Math.Ceiling(Math.Max(cpu / (limits.VcpuPerInstance * limits.TargetUtilisation), shape.ConcurrentJobs / limits.ActivitiesPerInstance)));
        var requests = Rate(shape, w => w.StorageRequests) + (instances * usage.Idle.StorageRequests);

        var controlPerJob = Sum(_echo, "durable queue control-NN");
        var workItemsPerJob = Sum(_echo, "durable queue workitems");
        var jobPartition = Math.Max(shape.EventsPerSecondPerJob * Hottest(_stream, "jobs") / 1000, shape.JobSeconds > 0 ? PerPartition(_echo, "jobs") / shape.JobSeconds : 0);
        var jobsPerSessionSecond = shape.JobsPerSecond / Math.Max(1, shape.ConnectedSessions);
        var sessionPartition = (shape.EventsPerSecondPerJob * Hottest(_stream, "sessions") / 1000) + (jobsPerSessionSecond * Hottest(_echo, "sessions"));
        var principalPartition = shape.JobsPerSecond / Math.Max(1, shape.Principals) * Hottest(_echo, "jobindex");
        var telemetry = (shape.JobsPerSecond * TelemetryItemsPerJob) + (shape.SessionsOpenedPerMinute / 60 * ExecutionsPerSession);
        var units = Math.Max(limits.WebPubSubUnits, Math.Ceiling(shape.ConnectedSessions / limits.ConnectionsPerUnit));

        var resources = new List<ResourceCeiling>
        {
            Ceiling("storage account request rate", "requests/s", requests, limits.StorageAccountRequestsPerSecond,
                "put the task hub in its own storage account (AzureWebJobsStorage apart from Arcp's tables), then shard principals over accounts"),
            Ceiling("one job's table partition", "entities/s", jobPartition, limits.TablePartitionEntitiesPerSecond,
                "larger event pages (group commit already packs what an agent emits during one append)", growsWithRate: false),
            Ceiling("one session's table partition (seq row, outbox)", "entities/s", sessionPartition, limits.TablePartitionEntitiesPerSecond,
                "fewer jobs per session; one outbox sync per batch of jobs", growsWithRate: false),
            Ceiling("principal index partition", "entities/s", principalPartition, limits.TablePartitionEntitiesPerSecond,
                "more principals, or a hashed suffix on the index partition key"),
            Ceiling("Durable control queue (each)", "requests/s", shape.JobsPerSecond * controlPerJob / limits.DurablePartitions, limits.QueueMessagesPerSecond,
                "partitionCount up to 16 (before the hub is first created), then the Durable Task Scheduler backend"),
            Ceiling("Durable work-item queue", "requests/s", shape.JobsPerSecond * workItemsPerJob, limits.QueueMessagesPerSecond,
                "the Durable Task Scheduler backend (no storage queues)"),
            Ceiling("Flex instances", "instances' worth of work", demand, limits.MaximumInstances,
                "more agent runs per instance when agents wait on I/O (Arcp:Durable:MaxConcurrentActivities / maxConcurrentActivityFunctions), then maximumInstanceCount up to 1,000"),
            Ceiling("one session's Web PubSub sends (one REST call per frame, in order)", "frames/s", shape.EventsPerSecondPerJob, 1_000 / limits.WebPubSubSendMs,
                "fewer, larger events (coalesce tokens); direct WebSocket connections to the host for heavy streams", growsWithRate: false),
            Ceiling("Web PubSub connections", "connections", shape.ConnectedSessions, limits.WebPubSubUnits * limits.ConnectionsPerUnit,
                "webPubSubCapacity (units) up to 100 on Standard"),
            Ceiling("Application Insights ingestion", "items/s", telemetry, limits.TelemetryItemsPerSecond,
                "sampling (host.json samplingSettings), fewer traces per job"),
        };

        return new CapacityEstimate(shape, resources, requests, instances, Cost(shape, instances, units, telemetry));
    }

    /// <summary>
    /// This machine as the "deployment": host and storage emulator share <see cref="CostReport.Cores"/> cores, so a
    /// workload's ceiling is cores ÷ (host + storage CPU per unit). Compared with the rate the same run measured.
    /// </summary>
    public IReadOnlyList<(string Workload, string Unit, double Predicted, double Measured)> LocalPrediction(double? cores = null)
    {
        var available = cores ?? usage.Cores;
        return new[] { usage.Echo, usage.StreamOneJob, usage.StreamEightJobs }
            .Select(w => (w.Name, w.Unit, available / (w.HostCpuSeconds + w.StorageCpuSeconds), w.UnitsPerSecond))
            .ToList();
    }

    /// <summary>
    /// The model's totals for the report's mixed run (echo jobs, a stream, sessions opened, idle sessions, one node)
    /// beside what was counted: checks that per-unit figures add up when everything runs at once.
    /// </summary>
    public IReadOnlyList<(string Quantity, double Predicted, double Measured)> PredictMixed()
    {
        if (usage.Mixed is not { } run)
        {
            return [];
        }

        var measured = run.Measured;
        return
        [
            ("our storage requests", MixedTotal(run, w => w.ArcpRequests), measured.ArcpRequests),
            ("our storage writes", MixedTotal(run, w => w.ArcpWrites), measured.ArcpWrites),
            ("Durable's storage requests", MixedTotal(run, w => w.DurableRequests), measured.DurableRequests),
            ("host CPU-s", MixedGross(run, w => w.HostCpuSeconds), measured.HostCpuSeconds),
            ("storage CPU-s", MixedGross(run, w => w.StorageCpuSeconds), measured.StorageCpuSeconds),
        ];
    }

    /// <summary>The mixed run by operation of ours (predicted, counted), largest difference first: where a gap comes from.</summary>
    public IReadOnlyList<(string Operation, double Predicted, double Measured)> PredictMixedByOperation()
    {
        if (usage.Mixed is not { } run)
        {
            return [];
        }

        return run.Measured.ByOperation.Keys
            .Concat(new[] { usage.Echo, usage.StreamOneJob, usage.Sessions, usage.IdleSessions, usage.InFlight ?? Nothing }.SelectMany(w => w.ByOperation.Keys))
            .Where(k => k.StartsWith("arcp ", StringComparison.Ordinal))
            .Distinct()
            .Select(k => (k, MixedTotal(run, w => w.ByOperation.GetValueOrDefault(k)), run.Measured.ByOperation.GetValueOrDefault(k)))
            .OrderByDescending(r => Math.Abs(r.Item3 - r.Item2))
            .ToList();
    }

    /// <summary>
    /// The in-flight job-seconds of the mixed run beyond what its job and stream units count (see
    /// <see cref="ExtraInFlightSeconds"/>), from the in-flight times the client measured.
    /// </summary>
    public double MixedExtraInFlightSeconds(MixedRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var echoOwn = EchoJobsInFlight * usage.Echo.Seconds / usage.Echo.Units;
        var streamOwn = run.StreamedEvents / 1000.0 * usage.StreamOneJob.Seconds / usage.StreamOneJob.Units;
        return Math.Max(0, run.JobSeconds - (run.Jobs * echoOwn)) + Math.Max(0, run.StreamSeconds - streamOwn);
    }

    private double MixedTotal(MixedRun run, Func<WorkloadCost, double> field)
    {
        // The meter counts one settling second after the run's last frame: the node idles through it. Per-unit figures
        // below zero (a unit cheaper than the idle node's background over its wall time: noise) count as zero, as in
        // the shapes. The paced jobs' session is connected the whole run: idle whenever no job of it is in flight.
        var nodeSeconds = run.Seconds + 1;
        var idleSessionSeconds = (run.IdleSessions * run.Seconds) + Math.Max(0, run.Seconds - run.JobSeconds);
        return (run.Jobs * Math.Max(0, field(_echo)))
            + (run.StreamedEvents / 1000.0 * Math.Max(0, field(_stream)))
            + (run.SessionsOpened * Math.Max(0, field(_sessions)))
            + (idleSessionSeconds * Math.Max(0, field(usage.IdleSessions)))
            + (MixedExtraInFlightSeconds(run) * Math.Max(0, field(usage.InFlight ?? Nothing)))
            + (nodeSeconds * field(usage.Idle));
    }

    private double MixedGross(MixedRun run, Func<WorkloadCost, double> field) =>
        (run.Jobs * field(usage.Echo)) + (run.StreamedEvents / 1000.0 * field(usage.StreamOneJob)) + (run.SessionsOpened * field(usage.Sessions))
        + (MixedExtraInFlightSeconds(run) * Math.Max(0, field(usage.InFlight ?? Nothing)));

    private MonthlyCost Cost(LoadShape shape, double instances, double units, double telemetryItemsPerSecond)
    {
        double Month(Func<WorkloadCost, double> field) => (Rate(shape, field) + (instances * field(usage.Idle))) * SecondsPerMonth;
        var storage = (Month(w => w.ArcpTableRequests + w.DurableTableRequests) * prices.TablePer10K / 10_000)
            + (Month(w => w.DurableQueueRequests) * prices.QueuePer10K / 10_000)
            + (Month(w => w.ArcpBlobRequests + w.DurableBlobRequests) * prices.BlobPer10K / 10_000);

        // On-demand Flex bills memory × time while executions run: the CPU the work needs, the activities that hold an
        // instance while agents run, and at least one second per job.
        var busyInstances = Math.Min(instances, Math.Max(Rate(shape, w => w.HostCpuSeconds, gross: true) / limits.VcpuPerInstance, Math.Max(shape.ConcurrentJobs / limits.ActivitiesPerInstance, shape.JobsPerSecond * 1.0)));
        var gbSeconds = busyInstances * limits.InstanceMemoryGb * SecondsPerMonth;
        var executions = ((shape.JobsPerSecond * ExecutionsPerJob) + (shape.SessionsOpenedPerMinute / 60 * ExecutionsPerSession)) * SecondsPerMonth;
        var functions = (Math.Max(0, gbSeconds - prices.FlexFreeGbSeconds) * prices.FlexPerGbSecond)
            + (Math.Max(0, executions - prices.FlexFreeExecutions) / 1e6 * prices.FlexPerMillionExecutions);

        var messagesPerDay = (shape.EventsPerSecond + (shape.JobsPerSecond * FramesPerJob) + (shape.SessionsOpenedPerMinute / 60)) * 86_400;
        var webPubSub = 30 * ((units * prices.WebPubSubUnitPerDay) + (Math.Max(0, messagesPerDay - (units * prices.WebPubSubIncludedMessagesPerUnitDay)) / 1e6 * prices.WebPubSubPerMillionMessages));

        var telemetryGb = telemetryItemsPerSecond * TelemetryBytesPerItem * SecondsPerMonth / 1e9;
        var telemetry = Math.Max(0, telemetryGb - prices.TelemetryFreeGb) * prices.TelemetryPerGb;
        return new MonthlyCost(storage, functions, webPubSub, telemetry);
    }

    /// <summary>
    /// The shape's rate of one measured quantity: per job, per event beyond the job's first, per session opened, per
    /// idle session. Storage counts are net of the idle node's background (charged per instance instead); CPU is taken
    /// <paramref name="gross"/>: an idle node's CPU is its pollers, which a busy node spends on work instead.
    /// </summary>
    private double Rate(LoadShape shape, Func<WorkloadCost, double> field, bool gross = false) =>
        (shape.JobsPerSecond * Math.Max(0, field(gross ? usage.Echo : _echo)))
        + (Math.Max(0, shape.EventsPerJob - 1) * shape.JobsPerSecond / 1000 * Math.Max(0, field(gross ? usage.StreamOneJob : _stream)))
        + (shape.SessionsOpenedPerMinute / 60 * Math.Max(0, field(gross ? usage.Sessions : _sessions)))
        + (shape.ConnectedSessions * Math.Max(0, field(usage.IdleSessions)))
        + (shape.JobsPerSecond * ExtraInFlightSeconds(shape.JobSeconds, shape.EventsPerJob) * Math.Max(0, field(usage.InFlight ?? Nothing)));

    /// <summary>
    /// A job's in-flight seconds the job and stream units have not already counted: the cost suite's <c>echo</c>
    /// job was in flight <see cref="EchoJobsInFlight"/> × its wall time per job, and a streaming job its wall time per
    /// 1,000 events; polling over that time is in those units. What a longer job spends beyond is charged per second.
    /// </summary>
    public double ExtraInFlightSeconds(double jobSeconds, double eventsPerJob)
    {
        var echoOwn = EchoJobsInFlight * usage.Echo.Seconds / usage.Echo.Units;
        var streamOwn = Math.Max(0, eventsPerJob - 1) / 1000 * usage.StreamOneJob.Seconds / usage.StreamOneJob.Units;
        return Math.Max(0, jobSeconds - echoOwn - streamOwn);
    }

    private static readonly WorkloadCost Nothing = WorkloadCost.Free("none", "none", 1, 0);

    private ResourceCeiling Ceiling(string resource, string unit, double used, double limit, string remedy, bool growsWithRate = true) =>
        new(resource, unit, used, limit, used <= 0 ? double.PositiveInfinity : limit * limits.TargetUtilisation / used, remedy, growsWithRate);

    private static double Sum(WorkloadCost w, string keyPrefix) =>
        Math.Max(0, w.ByOperation.Where(p => p.Key.StartsWith(keyPrefix, StringComparison.Ordinal)).Sum(p => p.Value));

    private static double PerPartition(WorkloadCost w, string table) =>
        w.HottestPartitions.TryGetValue(table, out var load) ? load.EntitiesPerPartition : 0;

    private static double Hottest(WorkloadCost w, string table) =>
        w.HottestPartitions.TryGetValue(table, out var load) ? load.Entities : 0;
}

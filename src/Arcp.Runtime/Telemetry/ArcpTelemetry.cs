using System.Diagnostics;
using System.Diagnostics.Metrics;
using Arcp.Protocol.Ids;

namespace Arcp.Runtime.Telemetry;

/// <summary>
/// The runtime's traces and metrics, both named <see cref="Name"/>. Spans: one per inbound session message, one per
/// job run, and one per storage call of the Table adapters made while handling either. Every span of a job carries the job's ARCP <c>trace_id</c> as
/// its W3C trace id, so a trace backend shows a job (submit, run, storage) as one trace. Nothing here records tokens,
/// inputs or results: only message types and ids.
/// </summary>
internal static class ArcpTelemetry
{
    /// <summary>Name of the activity source and of the meter.</summary>
    public const string Name = "Arcp";

    /// <summary>Span and metric attribute names.</summary>
    public static class Tags
    {
        public const string MessageType = "arcp.message.type";
        public const string SessionId = "arcp.session.id";
        public const string JobId = "arcp.job.id";
        public const string Agent = "arcp.job.agent";
        public const string JobStatus = "arcp.job.status";
        public const string JobAttempt = "arcp.job.attempt";
        public const string JobOutcome = "arcp.job.outcome";
        public const string TraceId = "arcp.trace_id";
        public const string LeaseExpiresAt = "arcp.lease.expires_at";
        public const string BudgetRemaining = "arcp.budget.remaining";
        public const string Table = "arcp.storage.table";
        public const string Operation = "arcp.storage.operation";
        public const string StatusCode = "http.response.status_code";

        /// <summary>The tag of <see cref="JobsFinished"/>.</summary>
        public const string Status = "status";
    }

    private static readonly string? s_version = typeof(ArcpTelemetry).Assembly.GetName().Version?.ToString();

    /// <summary>The runtime's spans.</summary>
    public static readonly ActivitySource Source = new(Name, s_version);

    /// <summary>The runtime's instruments.</summary>
    public static readonly Meter Meter = new(Name, s_version);

    /// <summary>Sessions with an open connection on this node.</summary>
    public static readonly UpDownCounter<long> SessionsOpen = Meter.CreateUpDownCounter<long>("arcp.sessions.open", "{session}", "Sessions with an open connection on this node.");

    /// <summary>Jobs that reached a terminal state, by final <c>status</c>.</summary>
    public static readonly Counter<long> JobsFinished = Meter.CreateCounter<long>("arcp.jobs.finished", "{job}", "Jobs that reached a terminal state, by final status.");

    /// <summary>Job events appended to storage (terminal events included); its rate is events per second.</summary>
    public static readonly Counter<long> EventsAppended = Meter.CreateCounter<long>("arcp.events.appended", "{event}", "Job events appended to storage.");

    /// <summary>How far a connection's delivery was behind the session's highest issued seq when it sent.</summary>
    public static readonly Histogram<long> OutboxLag = Meter.CreateHistogram<long>("arcp.outbox.lag", "{event}", "Issued but not yet delivered events of a session when its delivery loop sends.");

    /// <summary>Milliseconds from an event's timestamp (when it was emitted) to its send on a connection.</summary>
    public static readonly Histogram<double> DeliveryLatency = Meter.CreateHistogram<double>("arcp.delivery.latency", "ms", "Time from an event's emission to its send to a client.");

    /// <summary>Records the delivery latency of one sent event.</summary>
    public static void RecordDelivery(DateTimeOffset sentAt, DateTimeOffset? emittedAt)
    {
        if (emittedAt is { } emitted && DeliveryLatency.Enabled)
        {
            DeliveryLatency.Record(Math.Max(0, (sentAt - emitted).TotalMilliseconds));
        }
    }

    /// <summary>
    /// The parent context that puts a span into the trace of an ARCP <c>trace_id</c> (32 lowercase hex = a W3C
    /// trace id). The ARCP trace has no span of its own, so the parent span id is empty: exporters show the span as a
    /// root of that trace. Default when <paramref name="traceId"/> is not a valid trace id.
    /// </summary>
    public static ActivityContext TraceContext(string? traceId) =>
        IdFormats.IsValidTraceId(traceId)
            ? new ActivityContext(ActivityTraceId.CreateFromString(traceId), default, ActivityTraceFlags.Recorded, isRemote: true)
            : default;

    /// <summary>Starts the span of one inbound session message; inside the ARCP trace when the envelope carries one.</summary>
    public static Activity? StartSessionMessage(string type, string sessionId, string? traceId)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var parent = TraceContext(traceId);
        if (parent == default)
        {
            // Not the child of the transport's request (a WebSocket request lasts as long as the connection): a root.
            Activity.Current = null;
        }

        var activity = Source.StartActivity("arcp " + type, ActivityKind.Server, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(Tags.MessageType, type);
            activity.SetTag(Tags.SessionId, sessionId);
            if (IdFormats.IsValidTraceId(traceId))
            {
                activity.SetTag(Tags.TraceId, traceId);
            }
        }

        return activity;
    }

    /// <summary>
    /// Starts the span of one run of a job, in the job's trace, with the attributes §11 recommends: the lease expiry
    /// and the remaining budget (updated by <see cref="SetBudgetRemaining"/> when the run ends).
    /// </summary>
    public static Activity? StartJobRun(string jobId, string agent, string traceId, int attempt, DateTimeOffset? leaseExpiresAt, IReadOnlyDictionary<string, decimal> budget)
    {
        var activity = Source.StartActivity("arcp job.run", ActivityKind.Internal, TraceContext(traceId));
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(Tags.JobId, jobId);
            activity.SetTag(Tags.Agent, agent);
            activity.SetTag(Tags.TraceId, traceId);
            activity.SetTag(Tags.JobAttempt, attempt);
            if (leaseExpiresAt is { } expiresAt)
            {
                activity.SetTag(Tags.LeaseExpiresAt, Protocol.Json.ArcpTimestamp.Format(expiresAt));
            }

            SetBudgetRemaining(activity, budget);
        }

        return activity;
    }

    /// <summary>Sets <c>arcp.budget.remaining</c> to the counters, as <c>CUR:amount</c> joined by commas (none: unset).</summary>
    public static void SetBudgetRemaining(Activity? activity, IReadOnlyDictionary<string, decimal> budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        if (activity is { IsAllDataRequested: true } && budget.Count > 0)
        {
            activity.SetTag(Tags.BudgetRemaining, string.Join(',', budget.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => new Protocol.Leases.BudgetAmount(b.Key, b.Value).ToString())));
        }
    }

    /// <summary>
    /// Starts the span of one storage call, as a child of the current runtime span (a session message, a job run).
    /// Calls outside those (delivery polls, sweeps, start-up) get none, so idle polling does not flood the traces.
    /// </summary>
    public static Activity? StartStorageCall(string table, string operation)
    {
        if (Activity.Current?.Source != Source)
        {
            return null;
        }

        var activity = Source.StartActivity("table " + operation, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(Tags.Table, table);
            activity.SetTag(Tags.Operation, operation);
        }

        return activity;
    }
}

using System.Text.Json;
using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Events;
using Arcp.Protocol.Ids;
using Arcp.Protocol.Leases;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;

namespace Arcp.Runtime.Agents;

/// <summary>
/// What an agent sees of its job: input, lease, budget, and the ways to act — emit events, stream a result, report
/// cost, ask authorization for an operation, and run durable steps. Every event goes through the job's group-commit
/// writer.
/// </summary>
public sealed partial class JobContext
{
    private readonly JobEventWriter _writer;
    private readonly TimeProvider _time;
    private readonly IdGenerator _ids;
    private readonly IReadOnlyDictionary<string, string> _completedSteps;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, decimal> _budget;
    private readonly AsyncLocal<List<NewJobEvent>?> _stepBuffer = new();

    private readonly Func<JobSubmit, CancellationToken, Task<SubmitOutcome>>? _submitChild;
    private readonly Credentials.CredentialService? _credentials;

    internal JobContext(JobState state, JsonElement input, JobEventWriter writer, IReadOnlyDictionary<string, string> completedSteps, TimeProvider time, CancellationToken cancellationToken, Func<JobSubmit, CancellationToken, Task<SubmitOutcome>>? submitChild = null, Credentials.CredentialService? credentials = null)
    {
        _submitChild = submitChild;
        _credentials = credentials;
        _writer = writer;
        _time = time;
        _ids = new IdGenerator(time);
        _completedSteps = completedSteps;
        _budget = new Dictionary<string, decimal>(state.Budget, StringComparer.Ordinal);
        Definition = state.Definition;
        Attempt = state.Attempt;
        Input = input;
        CancellationToken = cancellationToken;
        Lease = JobLease.Parse(state.Definition.LeaseJson);
    }

    /// <summary>The job's fixed description.</summary>
    public JobDefinition Definition { get; }

    /// <summary>The job id.</summary>
    public string JobId => Definition.JobId;

    /// <summary>The job's trace id (32 lowercase hex).</summary>
    public string TraceId => Definition.TraceId;

    /// <summary>The submitted input (<c>null</c> JSON when none was given).</summary>
    public JsonElement Input { get; }

    /// <summary>1 on the first run; higher when a crashed run is being redone.</summary>
    public int Attempt { get; }

    /// <summary>The effective lease.</summary>
    public LeaseRequest Lease { get; }

    /// <summary>Fires when the job is cancelled, times out, its lease expires, or the host shuts down.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Remaining budget per currency (may be below zero).</summary>
    public IReadOnlyDictionary<string, decimal> Budget
    {
        get { lock (_gate) { return new Dictionary<string, decimal>(_budget, StringComparer.Ordinal); } }
    }

    /// <summary>True when the submitting session negotiated <paramref name="feature"/>.</summary>
    public bool HasFeature(string feature) => Definition.Features.Contains(feature, StringComparer.Ordinal);

    /// <summary>
    /// Emits an event. Bodies are validated (§8.2.1: progress <c>current</c> ≥ 0 and ≤ <c>total</c>); an invalid body
    /// throws <see cref="ArcpException"/> with <c>INVALID_REQUEST</c>. <c>progress</c> events are skipped when the
    /// submitter did not negotiate <c>progress</c>. A <c>cost.*</c> metric in a budgeted currency decrements the budget.
    /// </summary>
    public Task EmitAsync(EventBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Validate() is { } invalid)
        {
            throw new ArcpException(invalid);
        }

        if (body is ProgressBody && !HasFeature("progress"))
        {
            return Task.CompletedTask;
        }

        if (body is ResultChunkBody)
        {
            throw new ArcpException(ErrorCode.InvalidRequest, "Result chunks are written by StreamResultAsync.");
        }

        return body is MetricBody metric ? EmitMetricAsync(metric) : EmitRawAsync(body, progress: null);
    }

    /// <summary>Emits a <c>log</c> event.</summary>
    public Task LogAsync(string level, string message) => EmitAsync(new LogBody(level, message));

    /// <summary>Emits a <c>progress</c> event (skipped when the submitter did not negotiate <c>progress</c>).</summary>
    public Task ProgressAsync(double current, double? total = null, string? units = null, string? message = null) =>
        EmitAsync(new ProgressBody(current, total, units, message));

    /// <summary>
    /// Reports a cost (§9.6): emits <c>metric {name, value, unit}</c>; a non-negative value in a budgeted currency
    /// decrements that counter. A negative value is forwarded but never decrements.
    /// </summary>
    public Task ReportCostAsync(decimal amount, string currency, string name = "cost.inference") =>
        EmitAsync(new MetricBody(name, amount, currency));

    /// <summary>Waits until every event emitted so far is durable.</summary>
    public Task FlushAsync() => _writer.FlushAsync();

    internal Task EmitRawAsync(EventBody body, JobProgress? progress)
    {
        var now = Protocol.Json.ArcpTimestamp.Truncate(_time.GetUtcNow());
        var payload = ArcpWriter.SerializePayload(EventBodies.ToJobEvent(body, now));
        var jobEvent = new NewJobEvent(JobEventTypes.Event, payload, now, _ids.NewMessageId());
        if (_stepBuffer.Value is { } buffer)
        {
            // Inside a durable step: the events wait for the step to finish and go out with its record.
            lock (buffer)
            {
                buffer.Add(jobEvent);
            }

            return Task.CompletedTask;
        }

        return _writer.EmitAsync(jobEvent, progress);
    }
}

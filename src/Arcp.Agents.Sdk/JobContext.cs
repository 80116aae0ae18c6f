using System.Text.Json;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Events;
using Arcp.Protocol.Leases;
using Arcp.Protocol.Messages;

namespace Arcp.Agents.Sdk;

/// <summary>
/// What an agent sees of its job: input, lease, budget, and the ways to act — emit events, stream a result, report
/// cost, ask authorization for an operation against the lease, run durable steps, delegate child jobs and use the
/// job's provisioned credentials. The runtime supplies the implementation; the test kit supplies an in-memory one.
/// </summary>
public abstract class JobContext
{
    /// <summary>Largest decoded chunk of a streamed result (§14 "Result chunk size").</summary>
    public const int MaxChunkBytes = 1024 * 1024;

    /// <summary>Largest streamed result.</summary>
    public const long MaxResultBytes = 256L * 1024 * 1024;

    private static readonly JsonElement s_null = JsonDocument.Parse("null").RootElement.Clone();

    /// <summary>The job id.</summary>
    public abstract string JobId { get; }

    /// <summary>The resolved agent reference, <c>name@version</c>.</summary>
    public abstract string Agent { get; }

    /// <summary>The job's trace id (32 lowercase hex).</summary>
    public abstract string TraceId { get; }

    /// <summary>The submitted input (<c>null</c> JSON when none was given).</summary>
    public abstract JsonElement Input { get; }

    /// <summary>1 on the first run; higher when a crashed run is being redone.</summary>
    public abstract int Attempt { get; }

    /// <summary>The effective lease: capability namespace → patterns, and the initial budget.</summary>
    public abstract LeaseRequest Lease { get; }

    /// <summary>When the lease expires, if it does.</summary>
    public abstract DateTimeOffset? ExpiresAt { get; }

    /// <summary>Remaining budget per currency (may be below zero).</summary>
    public abstract IReadOnlyDictionary<string, decimal> Budget { get; }

    /// <summary>Fires when the job is cancelled, times out, its lease expires, or the host shuts down.</summary>
    public abstract CancellationToken CancellationToken { get; }

    /// <summary>True when the submitting session negotiated <paramref name="feature"/> (e.g. <c>progress</c>, <c>result_chunk</c>).</summary>
    public abstract bool HasFeature(string feature);

    /// <summary>
    /// Emits an event. Bodies are validated (§8.2.1: progress <c>current</c> ≥ 0 and ≤ <c>total</c>); an invalid body
    /// throws <see cref="ArcpException"/> with <c>INVALID_REQUEST</c>. <c>progress</c> events are skipped when the
    /// submitter did not negotiate <c>progress</c>. A <c>cost.*</c> metric in a budgeted currency decrements the budget.
    /// </summary>
    public abstract Task EmitAsync(EventBody body);

    /// <summary>
    /// Checks an authority-bearing operation against the lease before it is dispatched (§9.3), in the order expiry,
    /// budget, pattern. Throws <see cref="ArcpException"/> with <c>LEASE_EXPIRED</c>, <c>BUDGET_EXHAUSTED</c> or
    /// <c>PERMISSION_DENIED</c>; the agent may catch it and carry on with other work.
    /// </summary>
    /// <param name="capability">The lease namespace, e.g. <c>tool.call</c>, <c>fs.read</c>, <c>net.fetch</c>, <c>model.use</c>.</param>
    /// <param name="target">What the operation touches: a tool name, a path, a URL, a model id.</param>
    public abstract void Authorize(string capability, string target);

    /// <summary>
    /// Runs a durable step. Its events are held back and written together with the step's record, so after a crash
    /// the re-run either finds the step complete — it returns the stored result without running
    /// <paramref name="action"/> or emitting anything — or runs it again from scratch. Steps do not nest; names are
    /// unique within a job.
    /// </summary>
    public abstract Task<JsonElement> StepAsync(string name, Func<CancellationToken, Task<JsonElement>> action);

    /// <summary>
    /// Streams the job's result as UTF-8 <c>result_chunk</c> events (§8.4): <c>chunk_seq</c> from 0, the last one with
    /// <c>more:false</c>, chunks above 1 MiB split. The terminal <c>job.result</c> then carries the <c>result_id</c>,
    /// the size and <paramref name="summary"/>, and the agent must return null. Needs <c>result_chunk</c> negotiated.
    /// </summary>
    public abstract Task StreamTextResultAsync(IAsyncEnumerable<string> chunks, string? summary = null);

    /// <summary>Streams a binary result as base64 <c>result_chunk</c> events; see <see cref="StreamTextResultAsync"/>.</summary>
    public abstract Task StreamBinaryResultAsync(IAsyncEnumerable<ReadOnlyMemory<byte>> chunks, string? summary = null);

    /// <summary>Waits until every event emitted so far is durable.</summary>
    public abstract Task FlushAsync();

    /// <summary>
    /// Delegates work to a child job (§10): the child is its own job and orchestration, submitted in this job's session,
    /// with a lease that must be a strict subset of this one (§9.4). Emits a <c>delegate</c> event and returns the
    /// child's acceptance; a refused delegation throws <see cref="ArcpException"/> (<c>LEASE_SUBSET_VIOLATION</c>, ...).
    /// </summary>
    public abstract Task<JobAccepted> DelegateAsync(string agent, JsonElement? input = null, IReadOnlyDictionary<string, IReadOnlyList<string>>? leaseRequest = null, string? expiresAt = null);

    /// <summary>Ids of the job's live provisioned credentials (agents get ids, not values).</summary>
    public abstract Task<IReadOnlyList<string>> GetCredentialIdsAsync();

    /// <summary>
    /// Rotates one of the job's provisioned credentials (§9.8.2): the old value stops working and a
    /// <c>status credential_rotated</c> event carries the id and the new value. Returns the new value.
    /// </summary>
    public abstract Task<string> RotateCredentialAsync(string credentialId);

    /// <summary>Checks that the lease's <c>model.use</c> covers <paramref name="model"/> (§9.7).</summary>
    public void AuthorizeModel(string model) => Authorize(LeaseNamespaces.ModelUse, model);

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

    /// <summary>Runs a durable step that has no result; see <see cref="StepAsync(string, Func{CancellationToken, Task{JsonElement}})"/>.</summary>
    public Task StepAsync(string name, Func<CancellationToken, Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return StepAsync(name, async ct =>
        {
            await action(ct).ConfigureAwait(false);
            return s_null;
        });
    }
}

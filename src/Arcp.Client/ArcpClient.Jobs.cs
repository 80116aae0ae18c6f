using System.Text.Json;
using Arcp.Client.Connection;
using Arcp.Client.Jobs;
using Arcp.Protocol.Ids;
using Arcp.Protocol.Messages;

namespace Arcp.Client;

public sealed partial class ArcpClient
{
    private static readonly TimeSpan s_silentCancelWait = TimeSpan.FromSeconds(3);

    /// <summary>Submits a job and returns once the runtime accepted it.</summary>
    /// <param name="agent">Agent name or <c>name@version</c>.</param>
    /// <param name="input">Agent input (any JSON); null for none.</param>
    /// <param name="options">Lease, limits, idempotency key, trace id.</param>
    /// <param name="cancellationToken">Stops waiting for the acceptance (the job may still be created).</param>
    /// <exception cref="ArgumentException"><paramref name="agent"/> is empty.</exception>
    /// <exception cref="Errors.ArcpErrorException">The runtime refused the job (e.g. <c>AGENT_NOT_AVAILABLE</c>).</exception>
    public async Task<JobHandle> SubmitAsync(string agent, JsonElement? input = null, JobSubmitOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(agent);
        var submit = new JobSubmit(
            agent,
            input,
            options?.LeaseRequest,
            options?.LeaseConstraints,
            options?.IdempotencyKey ?? "idem_" + _ids.NewUlid(),
            options?.MaxRuntimeSec);
        var id = _ids.NewMessageId();
        var traceId = options?.TraceId ?? IdGenerator.NewTraceId();
        var reply = await RequestAsync(new PendingRequest(id, PendingKind.Submit, Frame(submit, traceId: traceId, id: id)), cancellationToken).ConfigureAwait(false);
        var accepted = (JobAccepted)reply.Payload;
        var stream = _jobs.GetOrAdd(accepted.JobId, static jobId => new JobStream(jobId));
        stream.Claim();
        if (stream.IsTerminal)
        {
            Forget(stream);
        }

        return new JobHandle(this, stream, accepted.Agent, accepted.TraceId ?? reply.TraceId, accepted, subscribed: null);
    }

    /// <summary>
    /// Observes a job of the same principal (needs <c>subscribe</c>): with <paramref name="history"/> the events it
    /// already emitted come first (including its terminal result when it is over), then live ones.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="jobId"/> is empty.</exception>
    /// <exception cref="Errors.ArcpErrorException">The job is unknown or not observable (<c>PERMISSION_DENIED</c>), or subscribe was not negotiated.</exception>
    public async Task<JobHandle> SubscribeAsync(string jobId, bool history = true, long? fromEventSeq = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        var stream = new JobStream(jobId);
        stream.Claim();
        _jobs[jobId] = stream;
        var id = _ids.NewMessageId();
        Protocol.Envelopes.ArcpMessage reply;
        try
        {
            reply = await RequestAsync(new PendingRequest(id, PendingKind.Subscribe, Frame(new JobSubscribe(jobId, fromEventSeq, history), jobId, id: id), jobId), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _jobs.TryRemove(new KeyValuePair<string, JobStream>(jobId, stream));
            throw;
        }

        var subscribed = (JobSubscribed)reply.Payload;
        if (subscribed.CurrentStatus.IsTerminal() && !subscribed.Replayed)
        {
            stream.OnObservedTerminal(subscribed.CurrentStatus);
            Forget(stream);
        }

        return new JobHandle(this, stream, subscribed.Agent, subscribed.TraceId ?? reply.TraceId, accepted: null, subscribed);
    }

    /// <summary>Stops observing a job subscribed with <see cref="SubscribeAsync"/> (no reply is expected).</summary>
    public Task UnsubscribeAsync(string jobId)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        return SendOneWayAsync(new JobUnsubscribe(jobId), jobId);
    }

    /// <summary>
    /// Cancels a job this session submitted; returns once the runtime acknowledged (<c>job.cancelled</c>) or the job
    /// ended on its own. Cancelling a finished job is a no-op.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="jobId"/> is empty.</exception>
    /// <exception cref="Errors.ArcpErrorException">The job is unknown (<c>JOB_NOT_FOUND</c>) or belongs to another session (<c>PERMISSION_DENIED</c>).</exception>
    public Task CancelAsync(string jobId, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        _jobs.TryGetValue(jobId, out var stream);
        return CancelAsync(jobId, reason, stream, cancellationToken);
    }

    /// <summary>
    /// A cancel of a finished job is answered with silence, so the wait ends with the acknowledgement, the job's end
    /// (when this client follows it), or — for a job it does not follow — <c>s_silentCancelWait</c> of silence.
    /// </summary>
    internal async Task CancelAsync(string jobId, string? reason, JobStream? stream, CancellationToken cancellationToken)
    {
        if (stream?.IsTerminal == true)
        {
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var id = _ids.NewMessageId();
        var request = RequestAsync(new PendingRequest(id, PendingKind.Cancel, Frame(new JobCancel(jobId, reason), jobId, id: id), jobId), stop.Token);
        var ended = stream?.Completion ?? Task.Delay(s_silentCancelWait, _time, stop.Token);
        var first = await Task.WhenAny(request, ended).ConfigureAwait(false);
        if (first == request)
        {
            await request.ConfigureAwait(false);
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await request.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // No acknowledgement: the job had already ended.
        }
    }
}

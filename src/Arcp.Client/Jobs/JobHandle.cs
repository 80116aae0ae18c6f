using Arcp.Protocol.Messages;

namespace Arcp.Client.Jobs;

/// <summary>A submitted or observed job: its events, its outcome, and cancellation.</summary>
public sealed class JobHandle
{
    private readonly ArcpClient _client;
    private readonly JobStream _stream;

    internal JobHandle(ArcpClient client, JobStream stream, string agent, string? traceId, JobAccepted? accepted, JobSubscribed? subscribed)
    {
        _client = client;
        _stream = stream;
        Agent = agent;
        TraceId = traceId;
        Accepted = accepted;
        Subscribed = subscribed;
    }

    /// <summary>Gets the job id.</summary>
    public string JobId => _stream.JobId;

    /// <summary>Gets the resolved agent (<c>name@version</c>).</summary>
    public string Agent { get; }

    /// <summary>Gets the job's trace id.</summary>
    public string? TraceId { get; }

    /// <summary>Gets the acceptance of a submitted job; null for an observed one.</summary>
    public JobAccepted? Accepted { get; }

    /// <summary>Gets the subscription reply of an observed job; null for a submitted one.</summary>
    public JobSubscribed? Subscribed { get; }

    /// <summary>Gets a task completing with the job's outcome (success or not); faults only when the session is lost.</summary>
    public Task<JobOutcome> Completion => _stream.Completion;

    /// <summary>Gets the final status once the job ended; null before.</summary>
    public JobStatus? FinalStatus => _stream.Completion.IsCompletedSuccessfully ? _stream.Completion.Result.Status : null;

    /// <summary>
    /// Reads the job's events in <c>event_seq</c> order, each exactly once (across reconnects), until the job ends.
    /// Events are buffered until read; only one reader may read them.
    /// </summary>
    public IAsyncEnumerable<JobEventReceived> ReadEventsAsync(CancellationToken cancellationToken = default) =>
        _stream.Events.ReadAllAsync(cancellationToken);

    /// <summary>Waits for the job to end and returns its successful outcome (inline or reassembled streamed result).</summary>
    /// <exception cref="Errors.ArcpErrorException">The job failed, was cancelled or timed out (see <see cref="Errors.ArcpErrorException.FinalStatus"/>).</exception>
    public async Task<JobOutcome> GetResultAsync(CancellationToken cancellationToken = default)
    {
        var outcome = await _stream.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        return outcome.Status == JobStatus.Success ? outcome : throw JobStream.ToException(outcome);
    }

    /// <summary>Asks the runtime to cancel the job; returns once it acknowledged or the job ended.</summary>
    public Task CancelAsync(string? reason = null, CancellationToken cancellationToken = default) =>
        _client.CancelAsync(JobId, reason, _stream, cancellationToken);
}

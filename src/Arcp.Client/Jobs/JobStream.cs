using System.Threading.Channels;
using Arcp.Client.Errors;
using Arcp.Protocol.Events;
using Arcp.Protocol.Messages;

namespace Arcp.Client.Jobs;

/// <summary>
/// The client side of one job: its events in order (buffered until read) and its terminal outcome. Fed by the
/// receive loop only, so no two writes race.
/// </summary>
internal sealed class JobStream(string jobId)
{
    private readonly Channel<JobEventReceived> _events = Channel.CreateUnbounded<JobEventReceived>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly TaskCompletionSource<JobOutcome> _terminal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ResultAssembler _assembler = new();

    public string JobId { get; } = jobId;

    public ChannelReader<JobEventReceived> Events => _events.Reader;

    public Task<JobOutcome> Completion => _terminal.Task;

    public bool IsTerminal => _terminal.Task.IsCompleted;

    public bool IsClaimed { get; private set; }

    public void Claim() => IsClaimed = true;

    public void OnEvent(JobEventReceived received)
    {
        if (IsTerminal)
        {
            return;
        }

        if (received.Body is ResultChunkBody chunk)
        {
            try
            {
                _assembler.Add(chunk);
            }
            catch (Exception ex) when (ex is InvalidDataException or FormatException)
            {
                Fail(ex as InvalidDataException ?? new InvalidDataException(ex.Message, ex));
                return;
            }
        }

        _events.Writer.TryWrite(received);
    }

    public void OnResult(JobResult result)
    {
        try
        {
            Finish(_assembler.Complete(JobId, result));
        }
        catch (InvalidDataException ex)
        {
            Fail(ex);
        }
    }

    public void OnError(JobError error) => Finish(new JobOutcome(JobId, error.FinalStatus) { Error = error });

    /// <summary>The job was already over when observed without history: no result to show.</summary>
    public void OnObservedTerminal(JobStatus status) => Finish(new JobOutcome(JobId, status));

    public void Fail(Exception error)
    {
        if (_terminal.TrySetException(error))
        {
            _events.Writer.TryComplete(error);
        }
    }

    private void Finish(JobOutcome outcome)
    {
        if (_terminal.TrySetResult(outcome))
        {
            _events.Writer.TryComplete();
        }
    }

    /// <summary>The error a failed outcome is reported with by <see cref="JobHandle.GetResultAsync"/>.</summary>
    public static ArcpErrorException ToException(JobOutcome outcome) =>
        outcome.Error is { } error
            ? ArcpErrorException.From(error)
            : new ArcpErrorException(Protocol.Errors.ErrorCode.JobNotFound, $"Job {outcome.JobId} ended as {outcome.Status.ToWireName()} before it was observed; its result is not available.", retryable: false, jobId: outcome.JobId, finalStatus: outcome.Status);
}

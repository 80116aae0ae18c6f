using Arcp.Runtime.Jobs;
using Azure;

namespace Arcp.Testing;

/// <summary>A job store whose terminal writes answer 503 while <see cref="Outage"/> is set, as a storage outage longer than every retry.</summary>
public sealed class TerminalOutageJobStore(IJobStore inner) : DelegatingJobStore(inner)
{
    private volatile bool _outage;

    public bool Outage
    {
        get => _outage;
        set => _outage = value;
    }

    public override Task<FinishResult> TryFinishAsync(string jobId, JobTermination termination, IReadOnlyList<NewJobEvent> precedingEvents, JobState? current, JobWrite write, CancellationToken cancellationToken) =>
        _outage
            ? throw new RequestFailedException(503, "The server is busy.", "ServerBusy", null)
            : base.TryFinishAsync(jobId, termination, precedingEvents, current, write, cancellationToken);
}

using System.Collections.Concurrent;

namespace Arcp.Runtime.Jobs;

/// <summary>
/// Why a running agent is being stopped, and the in-process way to tell it: a cancel handled on the node that runs
/// the job stops it at once; elsewhere the runner sees the state row change on its next poll.
/// </summary>
public sealed class JobStopSignals
{
    private readonly ConcurrentDictionary<string, Registration> _running = new(StringComparer.Ordinal);

    /// <summary>Registers a running job; dispose the result when the run ends.</summary>
    public Registration Register(string jobId, CancellationTokenSource stop)
    {
        var registration = new Registration(this, jobId, stop);
        _running[jobId] = registration;
        return registration;
    }

    /// <summary>Stops the job if it runs in this process.</summary>
    public void Stop(string jobId, JobStopReason reason)
    {
        if (_running.TryGetValue(jobId, out var registration))
        {
            registration.Stop(reason);
        }
    }

    /// <summary>A running job's stop handle.</summary>
    public sealed class Registration(JobStopSignals owner, string jobId, CancellationTokenSource stop) : IDisposable
    {
        private int _reason;

        /// <summary>The first reason given, or <see cref="JobStopReason.None"/>.</summary>
        public JobStopReason Reason => (JobStopReason)Volatile.Read(ref _reason);

        /// <summary>Records the reason (the first one wins) and cancels the agent.</summary>
        public void Stop(JobStopReason reason)
        {
            if (Interlocked.CompareExchange(ref _reason, (int)reason, (int)JobStopReason.None) == (int)JobStopReason.None)
            {
                try
                {
                    stop.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // The run already ended.
                }
            }
        }

        /// <inheritdoc />
        public void Dispose() => owner._running.TryRemove(new KeyValuePair<string, Registration>(jobId, this));
    }
}

/// <summary>Why an agent was asked to stop.</summary>
public enum JobStopReason
{
    /// <summary>Not stopped.</summary>
    None,

    /// <summary>The submitting session cancelled the job.</summary>
    Cancelled,

    /// <summary><c>max_runtime_sec</c> elapsed.</summary>
    TimedOut,

    /// <summary>The lease's <c>expires_at</c> passed.</summary>
    LeaseExpired,

    /// <summary>Someone else wrote the terminal transition.</summary>
    Sealed,

    /// <summary>This host is shutting down; the job will be redelivered.</summary>
    Shutdown,

    /// <summary>Another worker claimed the job (this one was paused past its lease); this run's writes are refused.</summary>
    ClaimLost,
}

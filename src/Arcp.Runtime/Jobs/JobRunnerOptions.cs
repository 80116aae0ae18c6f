using System.Security.Cryptography;

namespace Arcp.Runtime.Jobs;

/// <summary>How a worker runs a job.</summary>
public sealed class JobRunnerOptions
{
    // Containers often run every host as PID 1 on look-alike machine names; a nonce per process start keeps two
    // processes (or one process before and after a restart) from ever mistaking each other's claims for their own.
    private static readonly string s_processNonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>
    /// How long a claim holds before another worker may take the job over; renewed every third of it while the agent
    /// runs. Keep it below the work-item visibility timeout, so a crashed worker's job is taken over as soon as its
    /// activity is handed out again; a worker paused longer than this loses the job and its writes are refused.
    /// </summary>
    public TimeSpan OwnerLease { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long a fresh job's claim may wait to be stored with the run's first write (an append or the terminal), so a
    /// short job's claim costs no write of its own; a run that has written nothing by then stores its claim alone, so
    /// renewal, takeover and cancel detection work as for any claim. Zero stores every claim before the agent starts.
    /// Only a job younger than <see cref="OwnerLease"/> defers its claim: a redelivery after a crash always claims
    /// first, so an agent that crashes its process at once is still counted towards <see cref="MaxAttempts"/>.
    /// Off by default until a slow fresh job seen twice in the chaos soak is explained (docs/reliability.md).
    /// </summary>
    public TimeSpan ClaimDeferral { get; set; } = TimeSpan.Zero;

    /// <summary>How often an idle runner re-reads the state row to notice a cancel or a terminal write from elsewhere.</summary>
    public TimeSpan StatePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A job whose runs failed more often than this (its agent kept crashing the process) ends as <c>INTERNAL_ERROR</c>; clean handoffs do not count.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// The longest run this deployment can host, when its hosting plan caps an invocation (a Functions plan's
    /// <c>functionTimeout</c>); null when runs are unbounded. A submission asking for more, or for no limit, is refused
    /// rather than cut off by the host mid-run.
    /// </summary>
    public int? MaxRuntimeCeilingSeconds { get; set; }

    /// <summary>Name of this worker in claims (defaults to the machine name and process id).</summary>
    public string WorkerName { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>The identity claims are written under: <see cref="WorkerName"/> plus a nonce unique to this process start.</summary>
    public string Owner => $"{WorkerName}/{s_processNonce}";
}

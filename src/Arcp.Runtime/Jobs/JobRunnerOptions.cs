namespace Arcp.Runtime.Jobs;

/// <summary>How a worker runs a job.</summary>
public sealed class JobRunnerOptions
{
    /// <summary>How long a claim holds before another worker may take the job over; renewed while the agent runs.</summary>
    public TimeSpan OwnerLease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often an idle runner re-reads the state row to notice a cancel or a terminal write from elsewhere.</summary>
    public TimeSpan StatePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A job claimed more often than this (its agent kept crashing the process) ends as <c>INTERNAL_ERROR</c>.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Name of this worker in claims (defaults to machine name + process id).</summary>
    public string WorkerName { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}";
}

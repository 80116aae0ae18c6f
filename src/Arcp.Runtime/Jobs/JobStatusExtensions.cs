namespace Arcp.Runtime.Jobs;

/// <summary>Wire names and classification of <see cref="JobStatus"/>.</summary>
public static class JobStatusExtensions
{
    /// <summary>Whether the status is final (§7.3): success, error, cancelled or timed_out.</summary>
    public static bool IsTerminal(this JobStatus status) => status >= JobStatus.Success;

    /// <summary>The status as written on the wire (<c>timed_out</c>, never <c>timedout</c>).</summary>
    public static string ToWire(this JobStatus status) => status switch
    {
        JobStatus.Pending => "pending",
        JobStatus.Running => "running",
        JobStatus.Success => "success",
        JobStatus.Error => "error",
        JobStatus.Cancelled => "cancelled",
        JobStatus.TimedOut => "timed_out",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>Parses a wire status name.</summary>
    public static bool TryParseWire(string? value, out JobStatus status)
    {
        status = value switch
        {
            "pending" => JobStatus.Pending,
            "running" => JobStatus.Running,
            "success" => JobStatus.Success,
            "error" => JobStatus.Error,
            "cancelled" => JobStatus.Cancelled,
            "timed_out" => JobStatus.TimedOut,
            _ => (JobStatus)(-1),
        };
        return status >= JobStatus.Pending;
    }
}

namespace Arcp.Cli;

/// <summary>Process exit codes: one per way a command can end, so scripts can tell them apart.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked; a followed job succeeded.</summary>
    public const int Success = 0;

    /// <summary>Bad usage or input (also what the parser returns for an unknown option).</summary>
    public const int Usage = 1;

    /// <summary>The job ended with <c>error</c>.</summary>
    public const int JobFailed = 2;

    /// <summary>The job ended with <c>cancelled</c>.</summary>
    public const int JobCancelled = 3;

    /// <summary>The job ended with <c>timed_out</c>.</summary>
    public const int JobTimedOut = 4;

    /// <summary>The runtime could not be reached, or the connection was lost for good.</summary>
    public const int Unreachable = 5;

    /// <summary>The runtime refused the token.</summary>
    public const int Unauthenticated = 6;

    /// <summary>The runtime refused the request (unknown agent or job, not permitted, invalid request).</summary>
    public const int Refused = 7;

    /// <summary>The session could not be resumed after a drop; events may have been missed.</summary>
    public const int SessionLost = 8;

    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Interrupted = 130;

    public static int For(Arcp.Protocol.Messages.JobStatus status) => status switch
    {
        Arcp.Protocol.Messages.JobStatus.Success => Success,
        Arcp.Protocol.Messages.JobStatus.Cancelled => JobCancelled,
        Arcp.Protocol.Messages.JobStatus.TimedOut => JobTimedOut,
        _ => JobFailed,
    };
}

namespace Arcp.Runtime.Jobs;

/// <summary>
/// A job run stopped because this host is shutting down, not because the job ended. The execution backend must not
/// record the run as completed or failed: it abandons the work item so that the run is delivered again.
/// </summary>
internal sealed class JobRunAbandonedException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    public JobRunAbandonedException()
        : base("The job run was abandoned because the host is stopping; it will be delivered again.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public JobRunAbandonedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public JobRunAbandonedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a job whose run saw <paramref name="token"/> cancelled.</summary>
    public JobRunAbandonedException(string message, CancellationToken token)
        : base(message, token)
    {
    }
}

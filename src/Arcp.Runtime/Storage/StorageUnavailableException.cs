namespace Arcp.Runtime.Storage;

/// <summary>
/// Storage kept failing with transient faults (busy, timeouts, lost connections) past the retries of one operation.
/// Not a verdict on the work: callers that own a job retry later or hand the job back; they never end it with this.
/// </summary>
internal sealed class StorageUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StorageUnavailableException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception.</summary>
    public StorageUnavailableException() { }

    /// <summary>Creates the exception.</summary>
    public StorageUnavailableException(string message) : base(message) { }
}

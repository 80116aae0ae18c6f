using Azure;

namespace Arcp.Azure.Storage;

/// <summary>
/// Which storage failures are transient: the service was busy or timed out, or the connection failed. These are
/// retried (with commit ids making retried writes safe); anything else is a real answer or a bug.
/// </summary>
public static class StorageFaults
{
    /// <summary>True for a fault worth retrying.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        // Status 0: no response at all (the SDK's transport wraps a dropped connection this way).
        RequestFailedException failed => failed.Status is 0 or 408 or 429 or 500 or 502 or 503 or 504,
        IOException or HttpRequestException or TimeoutException => true,
        TaskCanceledException { InnerException: TimeoutException } => true,

        // The SDK's retry policy gives up with every attempt's failure inside.
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsTransient),
        _ => false,
    };
}

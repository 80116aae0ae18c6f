namespace Arcp.Client.Errors;

/// <summary>The runtime could not be reached, or the connection was lost and could not be re-established.</summary>
public sealed class ArcpConnectionException : Exception
{
    /// <summary>Initializes the exception.</summary>
    public ArcpConnectionException()
        : this("The ARCP runtime could not be reached.")
    {
    }

    /// <summary>Initializes the exception with a message.</summary>
    public ArcpConnectionException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes the exception with a message and the transport failure.</summary>
    public ArcpConnectionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

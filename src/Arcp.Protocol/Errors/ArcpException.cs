namespace Arcp.Protocol.Errors;

/// <summary>An exception carrying an ARCP <see cref="ProtocolError"/>, thrown by agents and runtime code to fail with a specific code.</summary>
public sealed class ArcpException : Exception
{
    /// <summary>Initializes a new exception with an <c>INTERNAL_ERROR</c>.</summary>
    public ArcpException()
        : this(new ProtocolError(ErrorCode.InternalError, "Internal error."))
    {
    }

    /// <summary>Initializes a new exception with an <c>INTERNAL_ERROR</c> and the given message.</summary>
    public ArcpException(string message)
        : this(new ProtocolError(ErrorCode.InternalError, string.IsNullOrEmpty(message) ? "Internal error." : message))
    {
    }

    /// <summary>Initializes a new exception with an <c>INTERNAL_ERROR</c>, the given message and inner exception.</summary>
    public ArcpException(string message, Exception? innerException)
        : this(new ProtocolError(ErrorCode.InternalError, string.IsNullOrEmpty(message) ? "Internal error." : message), innerException)
    {
    }

    /// <summary>Initializes a new exception with the given code and message.</summary>
    public ArcpException(ErrorCode code, string message)
        : this(new ProtocolError(code, message))
    {
    }

    /// <summary>Initializes a new exception carrying <paramref name="error"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is null.</exception>
    public ArcpException(ProtocolError error, Exception? innerException = null)
        : base(error?.Message, innerException)
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
    }

    /// <summary>Gets the protocol error.</summary>
    public ProtocolError Error { get; }

    /// <summary>Gets the error code.</summary>
    public ErrorCode Code => Error.Code;
}

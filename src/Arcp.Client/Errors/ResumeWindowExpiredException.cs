using System.Text.Json;
using Arcp.Protocol.Errors;

namespace Arcp.Client.Errors;

/// <summary>
/// <c>RESUME_WINDOW_EXPIRED</c>: the session could not be resumed after a drop (window elapsed, token spent, or the
/// events since the last one seen are no longer retained). Events after the last delivered one are lost to this client.
/// </summary>
public sealed class ResumeWindowExpiredException : ArcpErrorException
{
    /// <summary>Initializes the exception.</summary>
    public ResumeWindowExpiredException()
        : this("The session cannot be resumed.")
    {
    }

    /// <summary>Initializes the exception with a message.</summary>
    public ResumeWindowExpiredException(string message)
        : this(message, details: null)
    {
    }

    /// <summary>Initializes the exception with a message and inner exception.</summary>
    public ResumeWindowExpiredException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes the exception with a message and the runtime's details.</summary>
    public ResumeWindowExpiredException(string message, JsonElement? details)
        : base(ErrorCode.ResumeWindowExpired, message, retryable: false, details)
    {
    }
}

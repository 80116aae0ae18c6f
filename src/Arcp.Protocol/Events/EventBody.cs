using Arcp.Protocol.Errors;

namespace Arcp.Protocol.Events;

/// <summary>Base of the typed <c>job.event</c> bodies; <see cref="EventBodies"/> turns them into <c>job.event</c> payloads.</summary>
public abstract record EventBody
{
    private protected EventBody()
    {
    }

    /// <summary>Returns the event kind of this body.</summary>
    public abstract string GetKind();

    /// <summary>Checks the body's rules; null when valid, otherwise <c>INVALID_REQUEST</c>.</summary>
    public virtual ProtocolError? Validate() => null;
}

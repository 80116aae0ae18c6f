using Arcp.Protocol.Errors;

namespace Arcp.Protocol.Envelopes;

/// <summary>Base of every ARCP payload record; the concrete type determines the envelope <c>type</c>.</summary>
public abstract record ArcpPayload
{
    private protected ArcpPayload()
    {
    }

    /// <summary>Checks rules the JSON shape cannot express (ranges, grammars, non-empty strings); null when valid.</summary>
    internal virtual ProtocolError? Validate() => null;
}

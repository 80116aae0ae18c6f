namespace Arcp.Testing.Faults;

/// <summary>What the fault layer does to one storage request.</summary>
public enum FaultKind
{
    /// <summary>Forwarded untouched.</summary>
    None,

    /// <summary>Answered <c>503 ServerBusy</c> without reaching storage.</summary>
    ServerBusy,

    /// <summary>Answered <c>500 OperationTimedOut</c> without reaching storage.</summary>
    OperationTimedOut,

    /// <summary>Forwarded and committed, then the reply is lost as on a dropped connection.</summary>
    ReplyLost,

    /// <summary>Forwarded after an added delay.</summary>
    Latency,

    /// <summary>Answered <c>503 ServerBusy</c> because an outage window is open.</summary>
    Outage,
}

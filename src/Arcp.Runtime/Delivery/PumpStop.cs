namespace Arcp.Runtime.Delivery;

/// <summary>Why a pump stopped.</summary>
public enum PumpStop
{
    /// <summary>Everything issued was sent.</summary>
    Drained,

    /// <summary>The batch limit was reached; more may be waiting.</summary>
    More,

    /// <summary>The channel may no longer send (lease taken over or expired, connection closing).</summary>
    Lost,

    /// <summary>Rows the channel still needed are gone; it cannot continue gap-free.</summary>
    WindowExpired,

    /// <summary>No such session.</summary>
    NotFound,
}

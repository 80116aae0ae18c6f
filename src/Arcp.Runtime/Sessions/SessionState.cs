namespace Arcp.Runtime.Sessions;

/// <summary>A snapshot of a session's <c>meta</c> row with the version it was read at.</summary>
public sealed record SessionState
{
    /// <summary>The session id (<c>sess_</c> + ULID).</summary>
    public required string SessionId { get; init; }

    /// <summary>The authenticated principal; resume must present the same one.</summary>
    public required string Principal { get; init; }

    /// <summary>The negotiated feature set.</summary>
    public IReadOnlyList<string> Features { get; init; } = [];

    /// <summary>Hash of the current resume token (the token itself is never stored).</summary>
    public string? ResumeTokenHash { get; init; }

    /// <summary>
    /// Hash of the token the last resume presented. It stays valid until the rotated token is first used: a welcome
    /// lost on its way (the host froze, the connection dropped) must not lock the client out of its session.
    /// </summary>
    public string? PreviousResumeTokenHash { get; init; }

    /// <summary>The connection currently attached, when any.</summary>
    public string? ConnectionId { get; init; }

    /// <summary>When the session was opened.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the last inbound message arrived.</summary>
    public DateTimeOffset? LastInboundAt { get; init; }

    /// <summary>When the transport went away (close, drop, heartbeat loss); the resume window counts from here.</summary>
    public DateTimeOffset? DetachedAt { get; init; }

    /// <summary>Highest <c>event_seq</c> the client acknowledged.</summary>
    public long LastAckedSeq { get; init; }

    /// <summary>Lowest outbox seq still retained; resuming from below it is <c>RESUME_WINDOW_EXPIRED</c>.</summary>
    public long OutboxFloor { get; init; } = 1;

    /// <summary>Highest seq sent to the client by a stateless transport (Web PubSub), where no connection object remembers it.</summary>
    public long DeliveredSeq { get; init; }

    /// <summary>Opaque version (storage ETag).</summary>
    public string Version { get; init; } = "";
}

namespace Arcp.Runtime.Sessions;

/// <summary>
/// One session attached through a transport whose sweep lists attachments (<see cref="ISessionStore.ListAttachedAsync"/>):
/// enough to apply the heartbeat rule and schedule flushes without reading the session. A hint, not the truth: read
/// the session before acting on it, and <see cref="ISessionStore.ForgetAttachedAsync"/> one whose session has since
/// detached, moved or gone.
/// </summary>
/// <param name="SessionId">The session.</param>
/// <param name="ConnectionId">The connection it was attached to when the hint was written.</param>
/// <param name="Features">Its negotiated features.</param>
/// <param name="LastInboundAt">Its last recorded inbound message (or its attach), as far as the hint knows.</param>
public sealed record AttachedSession(string SessionId, string ConnectionId, IReadOnlyList<string> Features, DateTimeOffset LastInboundAt);

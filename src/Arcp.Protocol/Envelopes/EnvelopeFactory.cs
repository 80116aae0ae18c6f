using Arcp.Protocol.Ids;
using Arcp.Protocol.Json;
using Arcp.Protocol.Messages;

namespace Arcp.Protocol.Envelopes;

/// <summary>Builds outbound envelopes: derives <c>type</c> from the payload, mints a <c>msg_</c> id and stamps a millisecond-precision UTC timestamp.</summary>
public sealed class EnvelopeFactory
{
    private readonly TimeProvider _timeProvider;
    private readonly IdGenerator _ids;

    /// <summary>Initializes a factory reading time from <paramref name="timeProvider"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is null.</exception>
    public EnvelopeFactory(TimeProvider timeProvider, IdGenerator? ids = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        _ids = ids ?? new IdGenerator(timeProvider);
    }

    /// <summary>Returns the envelope <c>type</c> for a payload record.</summary>
    /// <exception cref="ArgumentException">The payload is a vendor payload, whose type cannot be derived.</exception>
    public static string GetMessageType(ArcpPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return MessageCatalog.TryGetName(payload.GetType(), out var name)
            ? name
            : throw new ArgumentException($"{payload.GetType().Name} has no fixed message type.", nameof(payload));
    }

    /// <summary>Creates an envelope for <paramref name="payload"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="sessionId"/> is empty, <paramref name="eventSeq"/> is below 1, or the payload type is not derivable.</exception>
    public ArcpMessage Create(
        string sessionId,
        ArcpPayload payload,
        string? jobId = null,
        long? eventSeq = null,
        string? traceId = null,
        string? id = null,
        DateTimeOffset? timestamp = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentNullException.ThrowIfNull(payload);
        if (eventSeq < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(eventSeq), eventSeq, "event_seq starts at 1.");
        }

        return new ArcpMessage(string.IsNullOrEmpty(id) ? _ids.NewMessageId() : id, GetMessageType(payload), payload)
        {
            SessionId = sessionId,
            JobId = jobId,
            EventSeq = eventSeq,
            TraceId = traceId,
            Timestamp = ArcpTimestamp.Truncate(timestamp ?? _timeProvider.GetUtcNow()),
        };
    }
}

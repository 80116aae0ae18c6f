using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Events;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Sessions;

namespace Arcp.Runtime.Delivery;

/// <summary>
/// Turns a session's outbox back into envelopes. The same position always yields the same bytes: the submitting
/// session sees each event's own envelope id; an observer sees an id derived from it and its session (stable across
/// replays, distinct per session); the timestamp is the event's. Credential values in rotation events are removed for
/// observers of another principal.
/// </summary>
public sealed class OutboxReader(ISessionStore sessions, IJobStore jobs)
{
    /// <summary>Envelopes with seq greater than <paramref name="afterSeq"/>, in seq order.</summary>
    public Task<OutboxBatch> ReadAsync(string sessionId, long afterSeq, int maxCount, CancellationToken cancellationToken) =>
        ReadAsync(sessionId, afterSeq, maxCount, recentFirst: false, cancellationToken);

    /// <summary>
    /// Envelopes with seq greater than <paramref name="afterSeq"/>, in seq order. With <paramref name="recentFirst"/>
    /// (a live connection continuing from what it was sent) the positions this node just committed are taken from
    /// memory, skipping the outbox read.
    /// </summary>
    public async Task<OutboxBatch> ReadAsync(string sessionId, long afterSeq, int maxCount, bool recentFirst, CancellationToken cancellationToken)
    {
        var outboxRead = (recentFirst ? sessions.ReadRecentOutbox(sessionId, afterSeq, maxCount) : null)
            ?? await sessions.ReadOutboxAsync(sessionId, afterSeq, maxCount, cancellationToken).ConfigureAwait(false);
        switch (outboxRead)
        {
            case OutboxRead.NotFound:
                return new OutboxBatch.NotFound();
            case OutboxRead.WindowExpired expired:
                return new OutboxBatch.WindowExpired(expired.Floor, expired.LastIssuedSeq);
            case OutboxRead.Entries { Items: var entries, LastIssuedSeq: var lastIssued }:
                var envelopes = new List<OutboundEnvelope>(entries.Count);
                var start = 0;
                while (start < entries.Count)
                {
                    // Consecutive entries of one job map to consecutive job events: read them in one go.
                    var end = start + 1;
                    while (end < entries.Count && entries[end].JobId == entries[start].JobId && entries[end].JobEventIndex == entries[end - 1].JobEventIndex + 1)
                    {
                        end++;
                    }

                    var read = await jobs.ReadEventsAsync(entries[start].JobId, entries[start].JobEventIndex, end - start, cancellationToken).ConfigureAwait(false);
                    if (read is not JobEventRead.Events { Items: var events } || events.Count < end - start)
                    {
                        return new OutboxBatch.WindowExpired(entries[start].Seq, lastIssued);
                    }

                    for (var i = start; i < end; i++)
                    {
                        envelopes.Add(new OutboundEnvelope(entries[i].Seq, entries[i].JobId, events[i - start].IsTerminal, Build(sessionId, entries[i], events[i - start])) { EmittedAt = events[i - start].Timestamp });
                    }

                    start = end;
                }

                return new OutboxBatch.Envelopes(envelopes, lastIssued);
            default:
                throw new InvalidOperationException("Unknown outbox read result.");
        }
    }

    /// <summary>
    /// The envelope of one outbox position: the stored payload bytes with this delivery's fields spliced around them,
    /// no re-encoding of the body; the frame is the only allocation unless the payload must be redacted.
    /// </summary>
    public static byte[] Build(string sessionId, OutboxEntry entry, StoredJobEvent jobEvent)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(jobEvent);
        var payload = entry.Redact ? Redact(jobEvent.Payload) : jobEvent.Payload;
        if (entry.IsSubmitter)
        {
            return EventEnvelope.Build(jobEvent.MessageId, jobEvent.Type, sessionId, entry.JobId, entry.Seq, entry.TraceId, jobEvent.Timestamp, payload.Span);
        }

        Span<char> id = stackalloc char[ObserverIdLength];
        WriteObserverMessageId(jobEvent.MessageId, sessionId, id);
        return EventEnvelope.Build(id, jobEvent.Type, sessionId, entry.JobId, entry.Seq, entry.TraceId, jobEvent.Timestamp, payload.Span);
    }

    /// <summary>
    /// <c>msg_</c> + a ULID with the original's time part and 80 bits from SHA-256(original id, session id): valid,
    /// time-ordered like the original, unique per observing session and the same on every replay.
    /// </summary>
    public static string ObserverMessageId(string originalId, string sessionId)
    {
        Span<char> id = stackalloc char[ObserverIdLength];
        WriteObserverMessageId(originalId, sessionId, id);
        return new string(id);
    }

    private const int ObserverIdLength = 30;

    private const int MaxStackHashInput = 512;

    private static void WriteObserverMessageId(string originalId, string sessionId, Span<char> destination)
    {
        ArgumentNullException.ThrowIfNull(originalId);
        ArgumentNullException.ThrowIfNull(sessionId);
        const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        var inputLength = Encoding.UTF8.GetMaxByteCount(originalId.Length + 1 + sessionId.Length);
        Span<byte> input = inputLength <= MaxStackHashInput ? stackalloc byte[MaxStackHashInput] : new byte[inputLength];
        var written = Encoding.UTF8.GetBytes(originalId, input);
        input[written++] = (byte)'\n';
        written += Encoding.UTF8.GetBytes(sessionId, input[written..]);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input[..written], hash);

        "msg_".CopyTo(destination);
        if (originalId.StartsWith("msg_", StringComparison.Ordinal) && originalId.Length == ObserverIdLength)
        {
            originalId.AsSpan(4, 10).CopyTo(destination[4..]);
        }
        else
        {
            "0000000000".CopyTo(destination[4..]);
        }

        for (var i = 0; i < 16; i++)
        {
            var bit = i * 5;
            var value = ((hash[bit / 8] << 8) | hash[(bit / 8) + 1]) >> (11 - (bit % 8)) & 0x1F;
            destination[14 + i] = Crockford[value];
        }
    }

    /// <summary>Removes <c>credential_value</c> from a <c>status credential_rotated</c> body (observers of another principal).</summary>
    private static ReadOnlyMemory<byte> Redact(ReadOnlyMemory<byte> payload)
    {
        if (payload.Span.IndexOf("credential_value"u8) < 0)
        {
            return payload;
        }

        var node = JsonNode.Parse(payload.Span);
        if (node?["kind"]?.GetValue<string>() == EventKinds.Status && node["body"] is JsonObject body)
        {
            body.Remove("credential_value");
        }

        return Encoding.UTF8.GetBytes(node!.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }
}

/// <summary>One envelope ready to send.</summary>
/// <param name="Seq">Its <c>event_seq</c>.</param>
/// <param name="JobId">Its job.</param>
/// <param name="IsTerminal">Whether it is the job's terminal envelope.</param>
/// <param name="Utf8">The envelope bytes.</param>
public sealed record OutboundEnvelope(long Seq, string JobId, bool IsTerminal, byte[] Utf8)
{
    /// <summary>When the event was emitted (its envelope timestamp).</summary>
    public DateTimeOffset? EmittedAt { get; init; }
}

/// <summary>Result of <see cref="OutboxReader.ReadAsync(string, long, int, CancellationToken)"/>.</summary>
public abstract record OutboxBatch
{
    private OutboxBatch() { }

    /// <summary>Envelopes in seq order; <paramref name="LastIssuedSeq"/> is the session's highest seq.</summary>
    public sealed record Envelopes(IReadOnlyList<OutboundEnvelope> Items, long LastIssuedSeq) : OutboxBatch;

    /// <summary>The position is no longer (or not yet) covered.</summary>
    public sealed record WindowExpired(long Floor, long LastIssuedSeq) : OutboxBatch;

    /// <summary>No such session.</summary>
    public sealed record NotFound : OutboxBatch;
}

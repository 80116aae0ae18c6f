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
    public async Task<OutboxBatch> ReadAsync(string sessionId, long afterSeq, int maxCount, CancellationToken cancellationToken)
    {
        switch (await sessions.ReadOutboxAsync(sessionId, afterSeq, maxCount, cancellationToken).ConfigureAwait(false))
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

    /// <summary>The envelope of one outbox position.</summary>
    public static byte[] Build(string sessionId, OutboxEntry entry, StoredJobEvent jobEvent)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(jobEvent);
        var id = entry.IsSubmitter ? jobEvent.MessageId : ObserverMessageId(jobEvent.MessageId, sessionId);
        var payload = entry.Redact ? Redact(jobEvent.PayloadJson) : jobEvent.PayloadJson;
        var message = new ArcpMessage(id, jobEvent.Type, new PreEncodedPayload(payload))
        {
            SessionId = sessionId,
            JobId = entry.JobId,
            EventSeq = entry.Seq,
            TraceId = entry.TraceId,
            Timestamp = jobEvent.Timestamp,
        };
        return ArcpWriter.SerializeToUtf8Bytes(message);
    }

    /// <summary>
    /// <c>msg_</c> + a ULID with the original's time part and 80 bits from SHA-256(original id, session id): valid,
    /// time-ordered like the original, unique per observing session and the same on every replay.
    /// </summary>
    public static string ObserverMessageId(string originalId, string sessionId)
    {
        const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        var timePart = originalId.StartsWith("msg_", StringComparison.Ordinal) && originalId.Length == 30 ? originalId.Substring(4, 10) : "0000000000";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(originalId + "\n" + sessionId));
        var builder = new StringBuilder("msg_", 30).Append(timePart);
        for (var i = 0; i < 16; i++)
        {
            var bit = i * 5;
            var value = ((hash[bit / 8] << 8) | hash[(bit / 8) + 1]) >> (11 - (bit % 8)) & 0x1F;
            builder.Append(Crockford[value]);
        }

        return builder.ToString();
    }

    /// <summary>Removes <c>credential_value</c> from a <c>status credential_rotated</c> body (observers of another principal).</summary>
    private static string Redact(string payloadJson)
    {
        if (!payloadJson.Contains("credential_value", StringComparison.Ordinal))
        {
            return payloadJson;
        }

        var node = JsonNode.Parse(payloadJson);
        if (node?["kind"]?.GetValue<string>() == EventKinds.Status && node["body"] is JsonObject body)
        {
            body.Remove("credential_value");
        }

        return node!.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
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

/// <summary>Result of <see cref="OutboxReader.ReadAsync"/>.</summary>
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

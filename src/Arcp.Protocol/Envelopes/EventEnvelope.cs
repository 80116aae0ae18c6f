using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Arcp.Protocol.Envelopes;

/// <summary>
/// Builds the envelope of a stored job event by splicing the per-delivery fields around the payload bytes as they were
/// stored: the bytes <see cref="ArcpWriter"/> writes for the same message, with one allocation (the frame itself).
/// </summary>
public static class EventEnvelope
{
    private const string TimestampFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'";
    private const int TimestampLength = 24;

    private static ReadOnlySpan<byte> Start => "{\"arcp\":\"1.1\",\"id\":\""u8;
    private static ReadOnlySpan<byte> TypeField => "\",\"type\":\""u8;
    private static ReadOnlySpan<byte> SessionField => "\",\"session_id\":\""u8;
    private static ReadOnlySpan<byte> JobField => "\",\"job_id\":\""u8;
    private static ReadOnlySpan<byte> SeqField => "\",\"event_seq\":"u8;
    private static ReadOnlySpan<byte> TraceField => ",\"trace_id\":\""u8;
    private static ReadOnlySpan<byte> TimestampField => ",\"timestamp\":\""u8;
    private static ReadOnlySpan<byte> PayloadField => "\",\"payload\":"u8;

    /// <summary>The envelope of a job event: <paramref name="payloadUtf8"/> is written verbatim, the rest as <see cref="ArcpWriter"/> writes it.</summary>
    /// <param name="id">The envelope id.</param>
    /// <param name="type">The envelope type (<c>job.event</c>, <c>job.result</c>, <c>job.error</c>).</param>
    /// <param name="sessionId">The receiving session.</param>
    /// <param name="jobId">The job.</param>
    /// <param name="eventSeq">The session's <c>event_seq</c> of this delivery.</param>
    /// <param name="traceId">The trace id, or null to omit it.</param>
    /// <param name="timestamp">The envelope timestamp (written to the millisecond).</param>
    /// <param name="payloadUtf8">The payload object as UTF-8 JSON.</param>
    /// <exception cref="ArgumentException">A string field is empty where the wire needs a value, or <paramref name="payloadUtf8"/> is empty.</exception>
    public static byte[] Build(
        ReadOnlySpan<char> id,
        string type,
        string sessionId,
        string jobId,
        long eventSeq,
        string? traceId,
        DateTimeOffset timestamp,
        ReadOnlySpan<byte> payloadUtf8)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        if (payloadUtf8.IsEmpty)
        {
            throw new ArgumentException("The payload is empty.", nameof(payloadUtf8));
        }

        // Fields that need escaping are rare (ids, types and trace ids are plain ASCII); they take the encoder's path.
        var idEscaped = Escaped(id);
        var typeEscaped = Escaped(type);
        var sessionEscaped = Escaped(sessionId);
        var jobEscaped = Escaped(jobId);
        var traceEscaped = traceId is null ? null : Escaped(traceId);

        Span<byte> seqText = stackalloc byte[20];
        if (!eventSeq.TryFormat(seqText, out var seqLength, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("event_seq did not fit its buffer.");
        }

        var length = Start.Length + Length(id, idEscaped)
            + TypeField.Length + Length(type, typeEscaped)
            + SessionField.Length + Length(sessionId, sessionEscaped)
            + JobField.Length + Length(jobId, jobEscaped)
            + SeqField.Length + seqLength
            + (traceId is null ? 0 : TraceField.Length + Length(traceId, traceEscaped) + 1)
            + TimestampField.Length + TimestampLength
            + PayloadField.Length + payloadUtf8.Length + 1;

        var frame = GC.AllocateUninitializedArray<byte>(length);
        var span = frame.AsSpan();
        var at = Put(span, 0, Start);
        at = Put(span, at, id, idEscaped);
        at = Put(span, at, TypeField);
        at = Put(span, at, type, typeEscaped);
        at = Put(span, at, SessionField);
        at = Put(span, at, sessionId, sessionEscaped);
        at = Put(span, at, JobField);
        at = Put(span, at, jobId, jobEscaped);
        at = Put(span, at, SeqField);
        at = Put(span, at, seqText[..seqLength]);
        if (traceId is not null)
        {
            at = Put(span, at, TraceField);
            at = Put(span, at, traceId, traceEscaped);
            span[at++] = (byte)'"';
        }

        at = Put(span, at, TimestampField);
        if (!timestamp.UtcDateTime.TryFormat(span.Slice(at, TimestampLength), out var written, TimestampFormat, CultureInfo.InvariantCulture) || written != TimestampLength)
        {
            throw new ArgumentOutOfRangeException(nameof(timestamp), "The timestamp has no four-digit year.");
        }

        at += TimestampLength;
        at = Put(span, at, PayloadField);
        at = Put(span, at, payloadUtf8);
        span[at++] = (byte)'}';
        return at == length ? frame : throw new InvalidOperationException("The envelope length was miscounted.");
    }

    /// <summary>Null when <paramref name="value"/> is written as it is; otherwise its escaped UTF-8 form.</summary>
    private static byte[]? Escaped(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!IsPlain(c))
            {
                return JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes.ToArray();
            }
        }

        return null;
    }

    /// <summary>Characters no JSON encoder escapes.</summary>
    private static bool IsPlain(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ':';

    private static int Length(ReadOnlySpan<char> value, byte[]? escaped) => escaped?.Length ?? value.Length;

    private static int Put(Span<byte> destination, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination[at..]);
        return at + bytes.Length;
    }

    private static int Put(Span<byte> destination, int at, ReadOnlySpan<char> value, byte[]? escaped)
    {
        if (escaped is not null)
        {
            return Put(destination, at, escaped);
        }

        return at + Encoding.ASCII.GetBytes(value, destination[at..]);
    }
}

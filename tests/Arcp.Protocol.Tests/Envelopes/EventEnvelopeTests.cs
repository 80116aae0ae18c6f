using System.Text;
using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Parsing;

namespace Arcp.Protocol.Tests.Envelopes;

/// <summary>The spliced event envelope is the envelope <see cref="ArcpWriter"/> writes for the same message, byte for byte.</summary>
public sealed class EventEnvelopeTests
{
    private static readonly DateTimeOffset _at = new DateTimeOffset(2026, 5, 13, 10, 0, 0, TimeSpan.Zero).AddTicks(1_234_567);

    public static TheoryData<string, string> Payloads => new()
    {
        { "job.event", """{"kind":"log","ts":"2026-05-13T10:00:00.123Z","body":{"level":"info","message":"hello"}}""" },
        { "job.event", """{"kind":"thought","ts":"2026-05-13T10:00:00.123Z","body":{"text":"naïve café — 日本語 🚀 e\u0301"}}""" },
        { "job.event", """{"kind":"tool_call","ts":"2026-05-13T10:00:00.123Z","body":{"tool":"grep","call_id":"c1","args":{"pattern":"a\"b\\c\n\t\u0001</script>&+'"}}}""" },
        { "job.event", """{"kind":"status","ts":"2026-05-13T10:00:00.123Z","body":{"phase":"credential_rotated","credential_value":"s3cr3t"}}""" },
        { "job.event", """{"kind":"progress","ts":"2026-05-13T10:00:00.123Z","body":{"current":3,"total":10,"units":"files"}}""" },
        { "job.event", """{"kind":"result_chunk","ts":"2026-05-13T10:00:00.123Z","body":{"result_id":"res_1","chunk_seq":0,"data":"aGVsbG8=","encoding":"base64","more":true}}""" },
        { "job.result", """{"final_status":"success","job_id":"job_01HZX4Q9B3","result":{"ok":true,"items":[1,2.5,-3e10,null,false,{"k":[]}]}}""" },
        { "job.error", """{"final_status":"error","job_id":"job_01HZX4Q9B3","code":"INTERNAL_ERROR","message":"boom \"quoted\" \\ back","retryable":false}""" },
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public void Build_EventKinds_SameBytesAndEnvelopeAsTheWriter(string type, string payload)
    {
        // Arrange
        var expected = Legacy("msg_01HZX4Q8W2ABCDEFGHJKMNPQRS", type, "sess_01HZX4Q7A1", "job_01HZX4Q9B3", 42, "4bf92f3577b34da6a3ce929d0e0e4736", payload);

        // Act
        var frame = EventEnvelope.Build("msg_01HZX4Q8W2ABCDEFGHJKMNPQRS", type, "sess_01HZX4Q7A1", "job_01HZX4Q9B3", 42, "4bf92f3577b34da6a3ce929d0e0e4736", _at, Encoding.UTF8.GetBytes(payload));

        // Assert
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(frame));
        AssertSameEnvelope(expected, frame);
    }

    [Fact]
    public void Build_NoTraceId_OmitsTheFieldLikeTheWriter()
    {
        // Arrange
        const string Payload = """{"kind":"log","ts":"2026-05-13T10:00:00.123Z","body":{"level":"info","message":"x"}}""";
        var expected = Legacy("msg_1", "job.event", "sess_1", "job_1", 1, null, Payload);

        // Act
        var frame = EventEnvelope.Build("msg_1", "job.event", "sess_1", "job_1", 1, null, _at, Encoding.UTF8.GetBytes(Payload));

        // Assert
        Assert.Equal(expected, frame);
        Assert.DoesNotContain("trace_id", Encoding.UTF8.GetString(frame), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sess_\"quoted\"", "job_\\x", "trace/+&<>")]
    [InlineData("sess_ünïcödé", "job_日本", "trace\u0001\u001f")]
    [InlineData("", "", "")]
    public void Build_FieldsNeedingEscapes_EscapedLikeTheWriter(string sessionSuffix, string jobId, string traceId)
    {
        // Arrange
        var sessionId = "s" + sessionSuffix;
        var job = "j" + jobId;
        const string Payload = """{"kind":"log","ts":"2026-05-13T10:00:00.123Z","body":{"level":"info","message":"x"}}""";
        var expected = Legacy("msg_\"1\"", "job.event", sessionId, job, long.MaxValue, traceId, Payload);

        // Act
        var frame = EventEnvelope.Build("msg_\"1\"", "job.event", sessionId, job, long.MaxValue, traceId, _at, Encoding.UTF8.GetBytes(Payload));

        // Assert
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(frame));
    }

    [Fact]
    public void Build_LargeBody_SameBytesAndEnvelopeAsTheWriter()
    {
        // Arrange: a body of 900 KB (under the 1 MiB frame limit) with multi-byte characters and escapes throughout.
        var text = string.Concat(Enumerable.Repeat("ab\\\"ç日🚀\\n", 60_000));
        var payload = $$$"""{"kind":"thought","ts":"2026-05-13T10:00:00.123Z","body":{"text":"{{{text}}}"}}""";
        var expected = Legacy("msg_big", "job.event", "sess_1", "job_1", 7, "t", payload);

        // Act
        var frame = EventEnvelope.Build("msg_big", "job.event", "sess_1", "job_1", 7, "t", _at, Encoding.UTF8.GetBytes(payload));

        // Assert
        Assert.True(frame.Length > 800_000);
        Assert.True(expected.AsSpan().SequenceEqual(frame));
        AssertSameEnvelope(expected, frame);
    }

    [Fact]
    public void Build_EmptyPayload_Throws() =>
        Assert.Throws<ArgumentException>(() => EventEnvelope.Build("msg_1", "job.event", "sess_1", "job_1", 1, null, _at, []));

    /// <summary>How every event envelope was encoded before: the whole message through the writer, the payload as text.</summary>
    private static byte[] Legacy(string id, string type, string sessionId, string jobId, long seq, string? traceId, string payload) =>
        ArcpWriter.SerializeToUtf8Bytes(new ArcpMessage(id, type, new PreEncodedPayload(payload))
        {
            SessionId = sessionId,
            JobId = jobId,
            EventSeq = seq,
            TraceId = traceId,
            Timestamp = _at,
        });

    private static void AssertSameEnvelope(byte[] expected, byte[] actual)
    {
        Assert.True(ArcpParser.TryParse(expected, out var before, out var beforeError), beforeError?.Message);
        Assert.True(ArcpParser.TryParse(actual, out var after, out var afterError), afterError?.Message);
        Assert.Equal(
            (before.Id, before.Type, before.SessionId, before.JobId, before.EventSeq, before.TraceId, before.Timestamp),
            (after.Id, after.Type, after.SessionId, after.JobId, after.EventSeq, after.TraceId, after.Timestamp));
        Assert.Equal(before.Payload.GetType(), after.Payload.GetType());
        Assert.Equal(ArcpWriter.Serialize(before), ArcpWriter.Serialize(after));
    }
}

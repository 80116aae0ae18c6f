using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Parsing;
using Arcp.Runtime.Delivery;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Sessions;

namespace Arcp.Runtime.Tests.Delivery;

/// <summary>
/// Delivery splices the per-session fields around the stored payload bytes; the frames must be the ones the
/// whole-message encoder produced before, for the submitter, for observers (derived ids) and for redacted observers.
/// </summary>
public sealed class OutboxReaderBuildTests
{
    private static readonly DateTimeOffset _at = new DateTimeOffset(2026, 5, 13, 10, 0, 0, TimeSpan.Zero).AddTicks(9_876_543);

    public static TheoryData<string, string> Events => new()
    {
        { JobEventTypes.Event, """{"kind":"log","ts":"2026-05-13T10:00:00.987Z","body":{"level":"info","message":"héllo \"w\" \\ 🚀"}}""" },
        { JobEventTypes.Event, """{"kind":"status","ts":"2026-05-13T10:00:00.987Z","body":{"phase":"credential_rotated","credential_id":"cred_1","credential_value":"s3cr3t+/=","note":"日本"}}""" },
        { JobEventTypes.Event, """{"kind":"tool_result","ts":"2026-05-13T10:00:00.987Z","body":{"call_id":"c1","result":{"lines":["a\u0000b","<tag>&amp;"]}}}""" },
        { JobEventTypes.Result, """{"final_status":"success","job_id":"job_01HZX4Q9B3","result":{"ok":true}}""" },
        { JobEventTypes.Error, """{"final_status":"cancelled","job_id":"job_01HZX4Q9B3","code":"CANCELLED","message":"stopped","retryable":false}""" },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void Build_SubmitterObserverAndRedacted_SameFramesAsTheWholeMessageEncoder(string type, string payload)
    {
        // Arrange
        var stored = new StoredJobEvent(5, type, payload, _at, "msg_01HZX4Q8W2ABCDEFGHJKMNPQRS");
        OutboxEntry[] entries =
        [
            new(17, "job_01HZX4Q9B3", 5, "4bf92f3577b34da6a3ce929d0e0e4736", Redact: false, IsSubmitter: true),
            new(18, "job_01HZX4Q9B3", 5, "4bf92f3577b34da6a3ce929d0e0e4736", Redact: false, IsSubmitter: false),
            new(19, "job_01HZX4Q9B3", 5, "", Redact: true, IsSubmitter: false),
        ];

        foreach (var entry in entries)
        {
            // Act
            var frame = OutboxReader.Build("sess_01HZX4Q7A1", entry, stored);

            // Assert
            var expected = LegacyBuild("sess_01HZX4Q7A1", entry, stored);
            Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(frame));
            Assert.True(ArcpParser.TryParse(frame, out var message, out var error), error?.Message);
            Assert.Equal(entry.Seq, message.EventSeq);
            Assert.Equal(entry.IsSubmitter ? stored.MessageId : LegacyObserverMessageId(stored.MessageId, "sess_01HZX4Q7A1"), message.Id);
        }
    }

    [Fact]
    public void Build_RedactedObserver_RemovesTheCredentialValue()
    {
        // Arrange
        var stored = new StoredJobEvent(1, JobEventTypes.Event, """{"kind":"status","ts":"2026-05-13T10:00:00.987Z","body":{"phase":"credential_rotated","credential_value":"s3cr3t"}}""", _at, "msg_1");

        // Act
        var frame = Encoding.UTF8.GetString(OutboxReader.Build("sess_1", new OutboxEntry(1, "job_1", 1, "t", Redact: true, IsSubmitter: false), stored));

        // Assert
        Assert.DoesNotContain("s3cr3t", frame, StringComparison.Ordinal);
        Assert.Contains("credential_rotated", frame, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("msg_01HZX4Q8W2ABCDEFGHJKMNPQRS", "sess_01HZX4Q7A1")]
    [InlineData("not-a-ulid", "sess_ü")]
    [InlineData("msg_01HZX4Q8W2ABCDEFGHJKMNPQRS", "")]
    public void ObserverMessageId_SameAsBefore(string original, string sessionId) =>
        Assert.Equal(LegacyObserverMessageId(original, sessionId), OutboxReader.ObserverMessageId(original, sessionId));

    [Fact]
    public void ObserverMessageId_LongIds_HashedBeyondTheStackBuffer()
    {
        var original = "msg_01HZX4Q8W2ABCDEFGHJKMNPQRS";
        var sessionId = new string('s', 2_000);

        Assert.Equal(LegacyObserverMessageId(original, sessionId), OutboxReader.ObserverMessageId(original, sessionId));
    }

    /// <summary>The envelope of one outbox position as it was encoded before: the whole message, the payload as text.</summary>
    private static byte[] LegacyBuild(string sessionId, OutboxEntry entry, StoredJobEvent jobEvent)
    {
        var id = entry.IsSubmitter ? jobEvent.MessageId : LegacyObserverMessageId(jobEvent.MessageId, sessionId);
        var payload = entry.Redact ? LegacyRedact(jobEvent.PayloadJson) : jobEvent.PayloadJson;
        return ArcpWriter.SerializeToUtf8Bytes(new ArcpMessage(id, jobEvent.Type, new PreEncodedPayload(payload))
        {
            SessionId = sessionId,
            JobId = entry.JobId,
            EventSeq = entry.Seq,
            TraceId = entry.TraceId,
            Timestamp = jobEvent.Timestamp,
        });
    }

    private static string LegacyObserverMessageId(string originalId, string sessionId)
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

    private static string LegacyRedact(string payloadJson)
    {
        if (!payloadJson.Contains("credential_value", StringComparison.Ordinal))
        {
            return payloadJson;
        }

        var node = JsonNode.Parse(payloadJson);
        if (node?["kind"]?.GetValue<string>() == "status" && node["body"] is JsonObject body)
        {
            body.Remove("credential_value");
        }

        return node!.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}

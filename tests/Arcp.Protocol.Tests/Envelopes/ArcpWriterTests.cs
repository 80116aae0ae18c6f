using System.Text.Json;
using System.Text.RegularExpressions;
using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Events;
using Arcp.Protocol.Leases;
using Arcp.Protocol.Messages;
using Arcp.Protocol.Tests.TestData;
using Microsoft.Extensions.Time.Testing;

namespace Arcp.Protocol.Tests.Envelopes;

public sealed partial class ArcpWriterTests
{
    private static readonly DateTimeOffset _now = new(2026, 5, 13, 10, 0, 0, TimeSpan.Zero);
    private readonly EnvelopeFactory _factory = new(new FakeTimeProvider(_now));

    [Fact]
    public void Serialize_SessionWelcome_MatchesGolden()
    {
        // Arrange
        var welcome = new SessionWelcome(
            new RuntimeInfo("acme-rt", "0.1.0"),
            "rt_9c1e",
            600,
            new WelcomeCapabilities(["json"], ["heartbeat", "ack", "list_jobs"], [new AgentInfo("summarize", ["1.0.0", "1.1.0"], "1.1.0"), new AgentInfo("echo", [])]),
            HeartbeatIntervalSec: 30);
        var message = _factory.Create("sess_01HZX4Q7A1", welcome, id: "msg_01HZX4Q8W2");

        // Act
        var json = ArcpWriter.Serialize(message);

        // Assert
        Assert.Equal(
            """{"arcp":"1.1","id":"msg_01HZX4Q8W2","type":"session.welcome","session_id":"sess_01HZX4Q7A1","timestamp":"2026-05-13T10:00:00.000Z","payload":{"runtime":{"name":"acme-rt","version":"0.1.0"},"resume_token":"rt_9c1e","resume_window_sec":600,"capabilities":{"encodings":["json"],"features":["heartbeat","ack","list_jobs"],"agents":[{"name":"summarize","versions":["1.0.0","1.1.0"],"default":"1.1.0"},{"name":"echo","versions":[]}]},"heartbeat_interval_sec":30,"runtime_name":"acme-rt","runtime_version":"0.1.0"}}""",
            json);
    }

    [Fact]
    public void Serialize_SessionWelcomeWithoutHeartbeat_OmitsHeartbeatInterval()
    {
        // Arrange
        var welcome = new SessionWelcome(new RuntimeInfo("rt", "1"), "rt_x", 600, new WelcomeCapabilities(["json"], [], []));

        // Act
        var json = _factory.Create("sess_1", welcome).ToJson();

        // Assert
        Assert.DoesNotContain("heartbeat_interval_sec", json, StringComparison.Ordinal);
        Assert.DoesNotContain("null", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_JobAccepted_MatchesGolden()
    {
        // Arrange
        Assert.True(LeaseRequest.TryParse(Samples.Lease(), out var lease, out _));
        var accepted = new JobAccepted(
            "job_01HZX5A0B9",
            "summarize@1.1.0",
            lease.Grants,
            new DateTimeOffset(2026, 5, 13, 10, 0, 1, 249, TimeSpan.Zero),
            new LeaseConstraints("2026-05-13T12:00:00Z"),
            lease.Budget,
            TraceId: Samples.TraceId,
            ReplyTo: "msg_01HZX5A0A0");
        var message = _factory.Create("sess_01HZX4Q7A1", accepted, jobId: "job_01HZX5A0B9", traceId: Samples.TraceId, id: "msg_01HZX5A0C3", timestamp: _now.AddMilliseconds(1250.9));

        // Act
        var json = ArcpWriter.Serialize(message);

        // Assert
        Assert.Equal(
            """{"arcp":"1.1","id":"msg_01HZX5A0C3","type":"job.accepted","session_id":"sess_01HZX4Q7A1","job_id":"job_01HZX5A0B9","trace_id":"5f0c2a9e8d7b6a5f4e3d2c1b0a998877","timestamp":"2026-05-13T10:00:01.250Z","payload":{"job_id":"job_01HZX5A0B9","agent":"summarize@1.1.0","lease":{"tool.call":["search.*"],"cost.budget":["USD:2.50"]},"accepted_at":"2026-05-13T10:00:01.249Z","lease_constraints":{"expires_at":"2026-05-13T12:00:00Z"},"budget":{"USD":2.50},"trace_id":"5f0c2a9e8d7b6a5f4e3d2c1b0a998877","reply_to":"msg_01HZX5A0A0"}}""",
            json);
    }

    [Fact]
    public void Serialize_JobAcceptedEmptyLease_WritesEmptyObject()
    {
        // Arrange
        var accepted = new JobAccepted("job_1", "echo@1", LeaseRequest.Empty.Grants, _now);

        // Act
        var json = _factory.Create("sess_1", accepted, jobId: "job_1").ToJson();

        // Assert
        Assert.Contains("\"lease\":{}", json, StringComparison.Ordinal);
        Assert.DoesNotContain("budget", json, StringComparison.Ordinal);
        Assert.DoesNotContain("credentials", json, StringComparison.Ordinal);
        Assert.DoesNotContain("event_seq", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_JobEventProgress_MatchesGolden()
    {
        // Arrange
        var payload = EventBodies.ToJobEvent(new ProgressBody(47, 120, "files", "Refactoring"), new DateTimeOffset(2026, 5, 13, 19, 42, 13, TimeSpan.Zero));
        var message = _factory.Create("sess_1", payload, jobId: "job_1", eventSeq: 3, traceId: Samples.TraceId, id: "msg_e");

        // Act
        var json = ArcpWriter.Serialize(message);

        // Assert
        Assert.Equal(
            """{"arcp":"1.1","id":"msg_e","type":"job.event","session_id":"sess_1","job_id":"job_1","event_seq":3,"trace_id":"5f0c2a9e8d7b6a5f4e3d2c1b0a998877","timestamp":"2026-05-13T10:00:00.000Z","payload":{"kind":"progress","ts":"2026-05-13T19:42:13.000Z","body":{"current":47,"total":120,"units":"files","message":"Refactoring"}}}""",
            json);
    }

    [Fact]
    public void Serialize_JobResultChunked_MatchesGoldenWithoutInlineResult()
    {
        // Arrange
        var result = JobResult.Streamed("job_1", "res_01J", 31_457_280, "Generated report in 137 chunks.");
        var message = _factory.Create("sess_1", result, jobId: "job_1", eventSeq: 4827, traceId: Samples.TraceId, id: "msg_r");

        // Act
        var json = ArcpWriter.Serialize(message);

        // Assert
        Assert.Equal(
            """{"arcp":"1.1","id":"msg_r","type":"job.result","session_id":"sess_1","job_id":"job_1","event_seq":4827,"trace_id":"5f0c2a9e8d7b6a5f4e3d2c1b0a998877","timestamp":"2026-05-13T10:00:00.000Z","payload":{"final_status":"success","job_id":"job_1","result_id":"res_01J","result_size":31457280,"summary":"Generated report in 137 chunks."}}""",
            json);
    }

    [Fact]
    public void Serialize_JobResultInline_MatchesGolden()
    {
        // Arrange
        var result = JobResult.Inline("job_1", JsonHelpers.Element("""{"answer":42,"items":["a","b"]}"""));
        var message = _factory.Create("sess_1", result, jobId: "job_1", eventSeq: 2, traceId: Samples.TraceId, id: "msg_r");

        // Act
        var json = ArcpWriter.Serialize(message);

        // Assert
        Assert.Equal(
            """{"arcp":"1.1","id":"msg_r","type":"job.result","session_id":"sess_1","job_id":"job_1","event_seq":2,"trace_id":"5f0c2a9e8d7b6a5f4e3d2c1b0a998877","timestamp":"2026-05-13T10:00:00.000Z","payload":{"final_status":"success","job_id":"job_1","result":{"answer":42,"items":["a","b"]}}}""",
            json);
    }

    [Fact]
    public void Serialize_SessionError_MatchesGolden()
    {
        // Arrange
        var error = ProtocolError.WithDetails(ErrorCode.DuplicateKey, "Idempotency key reused with different parameters.", ("existing_job_id", "job_1")) with { RequestId = "msg_submit" };
        var message = _factory.Create("sess_1", error.ToSessionError(), id: "msg_x");

        // Act
        var json = ArcpWriter.Serialize(message);

        // Assert
        Assert.Equal(
            """{"arcp":"1.1","id":"msg_x","type":"session.error","session_id":"sess_1","timestamp":"2026-05-13T10:00:00.000Z","payload":{"code":"DUPLICATE_KEY","message":"Idempotency key reused with different parameters.","retryable":false,"details":{"existing_job_id":"job_1"},"reply_to":"msg_submit"}}""",
            json);
    }

    [Fact]
    public void Serialize_JobError_MatchesGolden()
    {
        // Arrange
        var error = new ProtocolError(ErrorCode.Timeout, "Job exceeded max_runtime_sec.").ToJobError("job_1");
        var message = _factory.Create("sess_1", error, jobId: "job_1", eventSeq: 9, traceId: Samples.TraceId, id: "msg_x");

        // Act
        var json = ArcpWriter.Serialize(message);

        // Assert
        Assert.Equal(
            """{"arcp":"1.1","id":"msg_x","type":"job.error","session_id":"sess_1","job_id":"job_1","event_seq":9,"trace_id":"5f0c2a9e8d7b6a5f4e3d2c1b0a998877","timestamp":"2026-05-13T10:00:00.000Z","payload":{"final_status":"timed_out","code":"TIMEOUT","message":"Job exceeded max_runtime_sec.","retryable":true,"job_id":"job_1"}}""",
            json);
    }

    [Fact]
    public void Serialize_JobSubscribed_MatchesGolden()
    {
        // Arrange
        var subscribed = new JobSubscribed(
            "job_1",
            "code-refactor@2.0.0",
            JobStatus.TimedOut,
            new Dictionary<string, IReadOnlyList<string>> { ["fs.read"] = ["/w/**"] },
            84,
            true,
            Budget: new Dictionary<string, decimal> { ["USD"] = 3.58m },
            TraceId: Samples.TraceId,
            ReplyTo: "msg_sub");
        var message = _factory.Create("sess_2", subscribed, jobId: "job_1", traceId: Samples.TraceId, id: "msg_s");

        // Act
        var json = ArcpWriter.Serialize(message);

        // Assert
        Assert.Equal(
            """{"arcp":"1.1","id":"msg_s","type":"job.subscribed","session_id":"sess_2","job_id":"job_1","trace_id":"5f0c2a9e8d7b6a5f4e3d2c1b0a998877","timestamp":"2026-05-13T10:00:00.000Z","payload":{"job_id":"job_1","agent":"code-refactor@2.0.0","current_status":"timed_out","lease":{"fs.read":["/w/**"]},"subscribed_from":84,"replayed":true,"budget":{"USD":3.58},"trace_id":"5f0c2a9e8d7b6a5f4e3d2c1b0a998877","reply_to":"msg_sub"}}""",
            json);
    }

    [Fact]
    public void Serialize_SessionJobsLastPage_WritesNextCursorNull()
    {
        // Arrange
        var jobs = new SessionJobs(
            "msg_l",
            [new JobListEntry("job_1", "a@1", JobStatus.Success, new Dictionary<string, IReadOnlyList<string>>(), _now, 0)],
            NextCursor: null);
        var message = _factory.Create("sess_1", jobs, id: "msg_j");

        // Act
        var json = ArcpWriter.Serialize(message);

        // Assert
        Assert.Equal(
            """{"arcp":"1.1","id":"msg_j","type":"session.jobs","session_id":"sess_1","timestamp":"2026-05-13T10:00:00.000Z","payload":{"request_id":"msg_l","jobs":[{"job_id":"job_1","agent":"a@1","status":"success","lease":{},"created_at":"2026-05-13T10:00:00.000Z","last_event_seq":0}],"next_cursor":null,"reply_to":"msg_l"}}""",
            json);
    }

    [Fact]
    public void Serialize_SessionJobsWithCursor_WritesCursorString()
    {
        // Arrange
        var jobs = new SessionJobs("msg_l", [], "abc");

        // Act
        var json = _factory.Create("sess_1", jobs).ToJson();

        // Assert
        Assert.Contains("\"next_cursor\":\"abc\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_EverySample_FollowsOutboundChecklist()
    {
        // Arrange
        var timestampPattern = TimestampRegex();
        foreach (var payload in Samples.All())
        {
            var message = _factory.Create("sess_1", payload, traceId: Samples.TraceId);

            // Act
            var bytes = message.ToUtf8Bytes();

            // Assert
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            var names = root.EnumerateObject().Select(p => p.Name).ToList();
            Assert.Equal(["arcp", "id", "type", "session_id", "trace_id", "timestamp", "payload"], names);
            Assert.Equal("1.1", root.GetProperty("arcp").GetString());
            Assert.StartsWith("msg_", root.GetProperty("id").GetString(), StringComparison.Ordinal);
            Assert.Matches(timestampPattern, root.GetProperty("timestamp").GetString()!);
            Assert.Equal(JsonValueKind.Object, root.GetProperty("payload").ValueKind);
            AssertNoNulls(root.GetProperty("payload"), message.Type == MessageTypes.SessionJobs ? "next_cursor" : null);
        }
    }

    [Fact]
    public void Serialize_SameMessageTwice_ByteIdentical()
    {
        // Arrange
        var messages = Samples.All().Select(p => _factory.Create("sess_1", p, jobId: "job_1", eventSeq: 1)).ToList();

        // Act
        var first = messages.Select(ArcpWriter.SerializeToUtf8Bytes).ToList();
        var second = messages.Select(ArcpWriter.SerializeToUtf8Bytes).ToList();

        // Assert
        for (var i = 0; i < first.Count; i++)
        {
            Assert.Equal(first[i], second[i]);
        }
    }

    [Fact]
    public void Serialize_NonAsciiAndPlus_WrittenUnescaped()
    {
        // Arrange
        var message = _factory.Create("sess_1", new SessionClosed("café a@1.0.0+build <ok>"), id: "msg_1");

        // Act
        var json = message.ToJson();

        // Assert
        Assert.Contains("café a@1.0.0+build", json, StringComparison.Ordinal);
    }

    private static void AssertNoNulls(JsonElement element, string? allowedNullProperty)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.Null)
                    {
                        Assert.Equal(allowedNullProperty, property.Name);
                    }
                    else
                    {
                        AssertNoNulls(property.Value, null);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    AssertNoNulls(item, null);
                }

                break;
        }
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex TimestampRegex();
}

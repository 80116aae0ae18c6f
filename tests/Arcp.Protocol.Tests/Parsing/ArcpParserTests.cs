using System.Text;
using System.Text.Json;
using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Messages;
using Arcp.Protocol.Parsing;
using Arcp.Protocol.Tests.TestData;
using Microsoft.Extensions.Time.Testing;

namespace Arcp.Protocol.Tests.Parsing;

public sealed partial class ArcpParserTests
{
    private static readonly EnvelopeFactory _factory = new(new FakeTimeProvider(Samples.Time));

    public static TheoryData<string> SampleTypes()
    {
        var data = new TheoryData<string>();
        var index = 0;
        foreach (var payload in Samples.All())
        {
            data.Add($"{index++}:{EnvelopeFactory.GetMessageType(payload)}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SampleTypes))]
    public void TryParse_SerializedMessage_RoundTripsByteIdentical(string sample)
    {
        // Arrange
        var payload = Samples.All().ElementAt(int.Parse(sample.Split(':')[0], System.Globalization.CultureInfo.InvariantCulture));
        var original = _factory.Create("sess_1", payload, jobId: "job_1", eventSeq: 5, traceId: Samples.TraceId);
        var bytes = original.ToUtf8Bytes();

        // Act
        var ok = ArcpParser.TryParse(bytes, out var parsed, out var error);

        // Assert
        Assert.True(ok, error?.Message);
        Assert.NotNull(parsed);
        Assert.Null(error);
        Assert.Equal(payload.GetType(), parsed!.Payload.GetType());
        Assert.Equal(original.Type, parsed.Type);
        Assert.Equal(original.Id, parsed.Id);
        Assert.Equal("sess_1", parsed.SessionId);
        Assert.Equal("job_1", parsed.JobId);
        Assert.Equal(5, parsed.EventSeq);
        Assert.Equal(Samples.TraceId, parsed.TraceId);
        Assert.Equal(original.Timestamp, parsed.Timestamp);
        Assert.Equal(Encoding.UTF8.GetString(bytes), parsed.ToJson());
    }

    [Fact]
    public void Samples_CoverEveryMessageType_AllTwentyTwo()
    {
        // Arrange
        var expected = typeof(MessageTypes).GetFields()
            .Where(f => f.IsLiteral && f.Name != nameof(MessageTypes.VendorPrefix))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet();

        // Act
        var covered = Samples.All().Select(EnvelopeFactory.GetMessageType).ToHashSet();

        // Assert
        Assert.Equal(22, expected.Count);
        Assert.Equal(expected.Order(), covered.Order());
    }

    [Fact]
    public void TryParse_SessionHelloBothDialects_ExposesNormalisedAccessors()
    {
        // Arrange
        const string ts = """{"arcp":"1.1","id":"m1","type":"session.hello","payload":{"client":{"name":"ts","version":"1"},"auth":{"scheme":"bearer","token":"t"},"resume":{"session_id":"sess_1","resume_token":"rt_a","last_event_seq":4}}}""";
        const string ruby = """{"id":"m2","type":"session.hello","session_id":"ses_x","payload":{"client_name":"rb","client_version":"2","resume":{"token":"rt_b","last_event_seq":9}}}""";
        const string flat = """{"id":"m3","type":"session.hello","payload":{"client":{"name":"cs","version":"3"},"capabilities":{"features":["ack"]},"resume_token":"rt_c","last_event_seq":0}}""";

        // Act
        Assert.True(ArcpParser.TryParse(ts, out var a, out _));
        Assert.NotNull(a);
        Assert.True(ArcpParser.TryParse(ruby, out var b, out _));
        Assert.NotNull(b);
        Assert.True(ArcpParser.TryParse(flat, out var c, out _));
        Assert.NotNull(c);

        // Assert
        var helloA = Assert.IsType<SessionHello>(a.Payload);
        var helloB = Assert.IsType<SessionHello>(b.Payload);
        var helloC = Assert.IsType<SessionHello>(c.Payload);
        Assert.Equal(("ts", "1", "rt_a", 4L), (helloA.GetClientName(), helloA.GetClientVersion(), helloA.GetResumeToken(), helloA.GetLastEventSeq()));
        Assert.Equal(("rb", "2", "rt_b", 9L), (helloB.GetClientName(), helloB.GetClientVersion(), helloB.GetResumeToken(), helloB.GetLastEventSeq()));
        Assert.Equal(("cs", "3", "rt_c", 0L), (helloC.GetClientName(), helloC.GetClientVersion(), helloC.GetResumeToken(), helloC.GetLastEventSeq()));
        Assert.Equal(["ack"], helloC.GetFeatures());
        Assert.Empty(helloA.GetFeatures());
        Assert.Equal("t", helloA.Auth!.Token);
    }

    [Fact]
    public void TryParse_UnknownFieldsEverywhere_Ignored()
    {
        // Arrange
        const string frame = """{"arcp":"1.1","id":"m1","type":"job.cancel","extensions":{"x":1},"span_id":"ab","payload":{"job_id":"job_1","extra":[1,2]}}""";

        // Act
        var ok = ArcpParser.TryParse(frame, out var message, out _);

        // Assert
        Assert.True(ok);
        Assert.NotNull(message);
        Assert.Equal("job_1", Assert.IsType<JobCancel>(message.Payload).JobId);
    }

    [Fact]
    public void TryParse_PayloadAbsent_TreatedAsEmptyObject()
    {
        // Arrange
        const string frame = """{"id":"m1","type":"session.bye"}""";

        // Act
        var ok = ArcpParser.TryParse(frame, out var message, out _);

        // Assert
        Assert.True(ok);
        Assert.NotNull(message);
        Assert.Null(Assert.IsType<SessionBye>(message.Payload).Reason);
        Assert.Null(message.SessionId);
    }

    [Fact]
    public void TryParse_ArcpAbsent_Tolerated()
    {
        // Arrange
        const string frame = """{"id":"m1","type":"session.ack","payload":{"last_processed_seq":0}}""";

        // Act
        var ok = ArcpParser.TryParse(frame, out var message, out _);

        // Assert
        Assert.True(ok);
        Assert.NotNull(message);
        Assert.Equal(0, Assert.IsType<SessionAck>(message.Payload).LastProcessedSeq);
    }

    [Fact]
    public void TryParse_VendorType_ReturnsUnknownVendorMessage()
    {
        // Arrange
        const string frame = """{"arcp":"1.1","id":"m1","type":"x-vendor.acme.ping","payload":{"a":1}}""";

        // Act
        var ok = ArcpParser.TryParse(frame, out var message, out _);

        // Assert
        Assert.True(ok);
        Assert.NotNull(message);
        Assert.True(message.IsVendorMessage);
        Assert.Equal(1, Assert.IsType<UnknownVendorMessage>(message.Payload).Payload.GetProperty("a").GetInt32());
        Assert.Equal("x-vendor.acme.ping", message.Type);
    }

    [Fact]
    public void TryParse_UnknownType_InvalidRequestWithDetailsTypeAndRequestId()
    {
        // Arrange
        const string frame = """{"arcp":"1.1","id":"m42","type":"job.frobnicate","payload":{}}""";

        // Act
        var ok = ArcpParser.TryParse(frame, out _, out var error);

        // Assert
        Assert.False(ok);
        Assert.NotNull(error);
        Assert.Equal(ErrorCode.InvalidRequest, error.Code);
        Assert.Equal("job.frobnicate", error.Details!.Value.GetProperty("type").GetString());
        Assert.Equal("m42", error.RequestId);
        Assert.Equal("m42", error.ToSessionError().ReplyTo);
    }

    [Theory]
    [InlineData("""{"arcp":"1.0","id":"m1","type":"session.bye"}""", "arcp")]
    [InlineData("""{"arcp":1.1,"id":"m1","type":"session.bye"}""", "arcp")]
    [InlineData("""{"arcp":"1.1","type":"session.bye"}""", "id")]
    [InlineData("""{"arcp":"1.1","id":"","type":"session.bye"}""", "id")]
    [InlineData("""{"arcp":"1.1","id":7,"type":"session.bye"}""", "id")]
    [InlineData("""{"arcp":"1.1","id":"m1"}""", "type")]
    [InlineData("""{"arcp":"1.1","id":"m1","type":""}""", "type")]
    [InlineData("""{"arcp":"1.1","id":"m1","type":["session.bye"]}""", "type")]
    [InlineData("""{"id":"m1","type":"session.bye","session_id":5}""", "session_id")]
    [InlineData("""{"id":"m1","type":"session.bye","job_id":{}}""", "job_id")]
    [InlineData("""{"id":"m1","type":"session.bye","trace_id":true}""", "trace_id")]
    [InlineData("""{"id":"m1","type":"session.bye","event_seq":1.5}""", "event_seq")]
    [InlineData("""{"id":"m1","type":"session.bye","event_seq":1e400}""", "event_seq")]
    [InlineData("""{"id":"m1","type":"session.bye","event_seq":99999999999999999999}""", "event_seq")]
    [InlineData("""{"id":"m1","type":"session.bye","event_seq":0}""", "event_seq")]
    [InlineData("""{"id":"m1","type":"session.bye","event_seq":"3"}""", "event_seq")]
    [InlineData("""{"id":"m1","type":"session.bye","timestamp":"yesterday"}""", "timestamp")]
    [InlineData("""{"id":"m1","type":"session.bye","payload":[]}""", "payload")]
    [InlineData("""{"id":"m1","type":"session.bye","payload":"x"}""", "payload")]
    [InlineData("""{"id":"m1","type":"session.bye","payload":null}""", "payload")]
    [InlineData("""{"id":"m1","type":"session.ack","payload":{}}""", "payload.last_processed_seq")]
    [InlineData("""{"id":"m1","type":"session.ack","payload":{"last_processed_seq":-1}}""", "payload.last_processed_seq")]
    [InlineData("""{"id":"m1","type":"session.ack","payload":{"last_processed_seq":1.5}}""", "payload.last_processed_seq")]
    [InlineData("""{"id":"m1","type":"session.ack","payload":{"last_processed_seq":1e400}}""", "payload.last_processed_seq")]
    [InlineData("""{"id":"m1","type":"session.ack","payload":{"last_processed_seq":99999999999999999999}}""", "payload.last_processed_seq")]
    [InlineData("""{"id":"m1","type":"session.list_jobs","payload":{"limit":0}}""", "payload.limit")]
    [InlineData("""{"id":"m1","type":"session.list_jobs","payload":{"limit":"10"}}""", "payload.limit")]
    [InlineData("""{"id":"m1","type":"session.list_jobs","payload":{"limit":1.5}}""", "payload.limit")]
    [InlineData("""{"id":"m1","type":"session.list_jobs","payload":{"filter":{"status":["sleeping"]}}}""", "payload.filter.status[0]")]
    [InlineData("""{"id":"m1","type":"session.list_jobs","payload":{"filter":{"status":[2]}}}""", "payload.filter.status[0]")]
    [InlineData("""{"id":"m1","type":"session.list_jobs","payload":{"filter":{"created_after":"nope"}}}""", "payload.filter.created_after")]
    [InlineData("""{"id":"m1","type":"job.submit","payload":{}}""", "payload.agent")]
    [InlineData("""{"id":"m1","type":"job.submit","payload":{"agent":null}}""", "payload.agent")]
    [InlineData("""{"id":"m1","type":"job.submit","payload":{"agent":42}}""", "payload.agent")]
    [InlineData("""{"id":"m1","type":"job.submit","payload":{"agent":"Summarize"}}""", "payload.agent")]
    [InlineData("""{"id":"m1","type":"job.submit","payload":{"agent":"a@@1"}}""", "payload.agent")]
    [InlineData("""{"id":"m1","type":"job.submit","payload":{"agent":"a","max_runtime_sec":0}}""", "payload.max_runtime_sec")]
    [InlineData("""{"id":"m1","type":"job.submit","payload":{"agent":"a","max_runtime_sec":-5}}""", "payload.max_runtime_sec")]
    [InlineData("""{"id":"m1","type":"job.submit","payload":{"agent":"a","max_runtime_sec":2.5}}""", "payload.max_runtime_sec")]
    [InlineData("""{"id":"m1","type":"job.submit","payload":{"agent":"a","idempotency_key":""}}""", "payload.idempotency_key")]
    [InlineData("""{"id":"m1","type":"job.submit","payload":{"agent":"a","lease_request":[]}}""", "payload.lease_request")]
    [InlineData("""{"id":"m1","type":"job.submit","payload":{"agent":"a","lease_request":{"fs.read":"/a"}}}""", "payload.lease_request['fs.read']")]
    [InlineData("""{"id":"m1","type":"job.submit","payload":{"agent":"a","lease_request":{"fs.exec":["/a"]}}}""", "payload.lease_request.fs.exec")]
    [InlineData("""{"id":"m1","type":"job.submit","payload":{"agent":"a","lease_request":{"fs.read":[""]}}}""", "payload.lease_request.fs.read")]
    [InlineData("""{"id":"m1","type":"job.submit","payload":{"agent":"a","lease_request":{"cost.budget":["USD:-1"]}}}""", "payload.lease_request.cost.budget")]
    [InlineData("""{"id":"m1","type":"job.submit","payload":{"agent":"a","lease_constraints":{"expires_at":"2026-05-13T12:00:00+00:00"}}}""", "payload.lease_constraints.expires_at")]
    [InlineData("""{"id":"m1","type":"job.submit","payload":{"agent":"a","lease_constraints":{"expires_at":5}}}""", "payload.lease_constraints.expires_at")]
    [InlineData("""{"id":"m1","type":"job.subscribe","payload":{"job_id":"j","from_event_seq":-1}}""", "payload.from_event_seq")]
    [InlineData("""{"id":"m1","type":"job.subscribe","payload":{"job_id":"j","history":"yes"}}""", "payload.history")]
    [InlineData("""{"id":"m1","type":"job.subscribe","payload":{"job_id":""}}""", "payload.job_id")]
    [InlineData("""{"id":"m1","type":"job.unsubscribe","payload":{}}""", "payload.job_id")]
    [InlineData("""{"id":"m1","type":"session.ping","payload":{"nonce":"p","sent_at":"13/05/2026"}}""", "payload.sent_at")]
    [InlineData("""{"id":"m1","type":"session.hello","payload":{"client":{"name":"x"}}}""", "payload.client.version")]
    [InlineData("""{"id":"m1","type":"session.hello","payload":{"auth":{"token":"t"}}}""", "payload.auth.scheme")]
    [InlineData("""{"id":"m1","type":"session.hello","payload":{"last_event_seq":-2}}""", "payload.last_event_seq")]
    [InlineData("""{"id":"m1","type":"session.hello","payload":{"resume":{"token":"t","last_event_seq":-2}}}""", "payload.resume.last_event_seq")]
    [InlineData("""{"id":"m1","type":"session.hello","payload":{"capabilities":{"features":"ack"}}}""", "payload.capabilities.features")]
    [InlineData("""{"id":"m1","type":"session.resume","payload":{"last_event_seq":1}}""", "payload.resume_token")]
    [InlineData("""{"id":"m1","type":"job.event","payload":{"kind":"log","ts":"2026-05-13T10:00:00Z","body":[]}}""", "payload.body")]
    [InlineData("""{"id":"m1","type":"job.event","payload":{"kind":"log","body":{}}}""", "payload.ts")]
    [InlineData("""{"id":"m1","type":"job.result","payload":{"job_id":"j","result":1,"result_id":"res_1"}}""", "payload.result")]
    [InlineData("""{"id":"m1","type":"job.result","payload":{"job_id":"j","final_status":"error"}}""", "payload.final_status")]
    [InlineData("""{"id":"m1","type":"job.error","payload":{"final_status":"error","code":"NOPE","message":"m","retryable":false,"job_id":"j"}}""", "payload.code")]
    [InlineData("""{"id":"m1","type":"job.error","payload":{"final_status":"error","code":"TIMEOUT","message":"","retryable":true,"job_id":"j"}}""", "payload.message")]
    [InlineData("""{"id":"m1","type":"job.error","payload":{"final_status":"running","code":"TIMEOUT","message":"m","retryable":true,"job_id":"j"}}""", "payload.final_status")]
    [InlineData("""{"id":"m1","type":"session.error","payload":{"code":"INTERNAL_ERROR","message":"m","retryable":true,"details":"text"}}""", "payload.details")]
    public void TryParse_InvalidField_InvalidRequestNamingField(string frame, string field)
    {
        // Act
        var ok = ArcpParser.TryParse(frame, out var message, out var error);

        // Assert
        Assert.False(ok);
        Assert.NotNull(error);
        Assert.Null(message);
        Assert.Equal(ErrorCode.InvalidRequest, error.Code);
        Assert.False(string.IsNullOrEmpty(error.Message));
        Assert.Equal(field, error.Details!.Value.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("{")]
    [InlineData("{\"id\":\"m1\",}")]
    [InlineData("{\"id\":\"m1\",\"type\":\"session.bye\"} {}")]
    [InlineData("{\"id\":\"m1\",\"type\":\"session.bye\"} x")]
    [InlineData("/* c */ {\"id\":\"m1\",\"type\":\"session.bye\"}")]
    [InlineData("{'id':'m1'}")]
    public void TryParse_NotAJsonObject_InvalidRequest(string frame)
    {
        // Act
        var ok = ArcpParser.TryParse(frame, out var message, out var error);

        // Assert
        Assert.False(ok);
        Assert.NotNull(error);
        Assert.Null(message);
        Assert.Equal(ErrorCode.InvalidRequest, error.Code);
        Assert.Null(error.RequestId);
    }

    [Fact]
    public void TryParse_FieldErrorAfterIdRead_CarriesRequestId()
    {
        // Arrange
        const string frame = """{"id":"msg_7","type":"job.submit","payload":{"agent":"BAD"}}""";

        // Act
        var ok = ArcpParser.TryParse(frame, out _, out var error);

        // Assert
        Assert.False(ok);
        Assert.NotNull(error);
        Assert.Equal("msg_7", error.RequestId);
        Assert.Equal("msg_7", error.ToSessionError().ReplyTo);
    }

    [Fact]
    public void TryParse_Oversize_InvalidRequest()
    {
        // Arrange
        var options = new ArcpParserOptions { MaxFrameBytes = 64 };
        var frame = Encoding.UTF8.GetBytes("{\"id\":\"m1\",\"type\":\"session.bye\",\"payload\":{\"reason\":\"" + new string('x', 64) + "\"}}");

        // Act
        var ok = ArcpParser.TryParse(frame, options, out _, out var error);

        // Assert
        Assert.False(ok);
        Assert.NotNull(error);
        Assert.Equal(ErrorCode.InvalidRequest, error.Code);
        Assert.Contains("64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_DefaultLimit_IsOneMebibyte()
    {
        // Arrange
        var options = new ArcpParserOptions();

        // Act
        var limit = options.MaxFrameBytes;

        // Assert
        Assert.Equal(1_048_576, limit);
        Assert.Equal(64, options.MaxDepth);
    }

    [Fact]
    public void TryParse_FrameJustUnderLimit_Parses()
    {
        // Arrange
        var prefix = "{\"id\":\"m1\",\"type\":\"session.bye\",\"payload\":{\"reason\":\"";
        var suffix = "\"}}";
        var frame = prefix + new string('x', ArcpParserOptions.DefaultMaxFrameBytes - prefix.Length - suffix.Length) + suffix;

        // Act
        var ok = ArcpParser.TryParse(frame, out var message, out _);

        // Assert
        Assert.True(ok);
        Assert.NotNull(message);
        Assert.Equal(ArcpParserOptions.DefaultMaxFrameBytes, Encoding.UTF8.GetByteCount(frame));
        Assert.IsType<SessionBye>(message.Payload);
    }

    [Fact]
    public void TryParse_InvalidUtf8_InvalidRequest()
    {
        // Arrange
        byte[] frame = [.. "{\"id\":\"m1\",\"type\":\"session.bye\",\"payload\":{\"reason\":\""u8, 0xC3, 0x28, .. "\"}}"u8];

        // Act
        var ok = ArcpParser.TryParse(frame, out _, out var error);

        // Assert
        Assert.False(ok);
        Assert.NotNull(error);
        Assert.Equal(ErrorCode.InvalidRequest, error.Code);
        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_LoneSurrogateString_InvalidRequest()
    {
        // Arrange
        var frame = "{\"id\":\"m1\",\"type\":\"session.bye\",\"payload\":{\"reason\":\"\uD800\"}}";

        // Act
        var ok = ArcpParser.TryParse(frame, out _, out var error);

        // Assert
        Assert.False(ok);
        Assert.NotNull(error);
        Assert.Equal(ErrorCode.InvalidRequest, error.Code);
    }

    [Fact]
    public void TryParse_LeadingBom_Tolerated()
    {
        // Arrange
        byte[] frame = [0xEF, 0xBB, 0xBF, .. "{\"id\":\"m1\",\"type\":\"session.bye\"}"u8];

        // Act
        var ok = ArcpParser.TryParse(frame, out var message, out _);

        // Assert
        Assert.True(ok);
        Assert.NotNull(message);
        Assert.Equal("m1", message.Id);
    }

    [Fact]
    public void TryParse_DeepNesting_InvalidRequest()
    {
        // Arrange
        var frame = "{\"id\":\"m1\",\"type\":\"job.submit\",\"payload\":{\"agent\":\"a\",\"input\":" + new string('[', 10_000) + new string(']', 10_000) + "}}";

        // Act
        var ok = ArcpParser.TryParse(frame, out _, out var error);

        // Assert
        Assert.False(ok);
        Assert.NotNull(error);
        Assert.Equal(ErrorCode.InvalidRequest, error.Code);
    }

    [Fact]
    public void TryParse_JobSubmitInput_KeptAsJsonElement()
    {
        // Arrange
        const string frame = """{"id":"m1","type":"job.submit","trace_id":"not-hex","payload":{"agent":"summarize@1.0.0","input":[1,"two",{"three":3}],"lease_request":{"fs.read":["/w/**"],"x-vendor.acme.thing":["a"]},"lease_constraints":{"expires_at":"2030-01-01T00:00:00Z"}}}""";

        // Act
        var ok = ArcpParser.TryParse(frame, out var message, out _);

        // Assert
        Assert.True(ok);
        Assert.NotNull(message);
        var submit = Assert.IsType<JobSubmit>(message.Payload);
        Assert.Equal(JsonValueKind.Array, submit.Input!.Value.ValueKind);
        Assert.Equal(3, submit.Input.Value.GetArrayLength());
        Assert.Equal(["/w/**"], submit.LeaseRequest!["fs.read"]);
        Assert.Equal("2030-01-01T00:00:00Z", submit.LeaseConstraints!.ExpiresAt);
        Assert.Equal("not-hex", message.TraceId);
    }

    [Fact]
    public void TryParse_JobCancelWithoutPayloadJobId_UsesEnvelopeJobId()
    {
        // Arrange
        const string frame = """{"id":"m1","type":"job.cancel","job_id":"job_9","payload":{"reason":"r"}}""";

        // Act
        var ok = ArcpParser.TryParse(frame, out var message, out _);

        // Assert
        Assert.True(ok);
        Assert.NotNull(message);
        Assert.Null(Assert.IsType<JobCancel>(message.Payload).JobId);
        Assert.Equal("job_9", message.JobId);
    }

    [Fact]
    public void TryParse_NullOptionalHeaderFields_TreatedAsAbsent()
    {
        // Arrange
        const string frame = """{"id":"m1","type":"session.bye","session_id":null,"job_id":null,"event_seq":null,"trace_id":null,"timestamp":null}""";

        // Act
        var ok = ArcpParser.TryParse(frame, out var message, out _);

        // Assert
        Assert.True(ok);
        Assert.NotNull(message);
        Assert.Null(message.SessionId);
        Assert.Null(message.EventSeq);
        Assert.Null(message.Timestamp);
    }

    [Fact]
    public void TryParse_NullText_InvalidRequest()
    {
        // Act
        var ok = ArcpParser.TryParse((string?)null, out _, out var error);

        // Assert
        Assert.False(ok);
        Assert.NotNull(error);
        Assert.Equal(ErrorCode.InvalidRequest, error.Code);
    }
}

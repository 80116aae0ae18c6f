using System.Text.Json;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Events;
using Arcp.Protocol.Leases;
using Arcp.Protocol.Messages;
using Arcp.Protocol.Tests.TestData;

namespace Arcp.Protocol.Tests.Events;

public sealed class EventBodiesTests
{
    private static readonly DateTimeOffset _ts = new(2026, 5, 13, 19, 42, 13, TimeSpan.Zero);

    public static TheoryData<string, string> Bodies() => new()
    {
        { "log", """{"level":"info","message":"hi","attributes":{"k":"v"}}""" },
        { "thought", """{"text":"thinking"}""" },
        { "tool_call", """{"tool":"search.web","call_id":"c1","args":{"q":"x"}}""" },
        { "tool_result", """{"call_id":"c1","result":[1,2]}""" },
        { "tool_result", """{"call_id":"budget_USD","error":{"code":"BUDGET_EXHAUSTED","message":"Budget exhausted.","retryable":false}}""" },
        { "status", """{"phase":"back_pressure","message":"consumer lag 270 events"}""" },
        { "status", """{"phase":"credential_rotated","credential_id":"cred_1","credential_value":"sk"}""" },
        { "metric", """{"name":"cost.inference","value":0.0234,"unit":"USD","dimensions":{"model":"m"}}""" },
        { "artifact_ref", """{"uri":"https://a/b","content_type":"text/plain","byte_size":12,"sha256":"ab"}""" },
        { "delegate", """{"agent":"writer@1","child_job_id":"job_2","delegate_id":"del_1","input":{"a":1},"lease_request":{"fs.read":["/w/**"]},"lease_constraints":{"expires_at":"2026-05-13T23:00:00Z"}}""" },
        { "progress", """{"current":47,"total":120,"units":"files","message":"m"}""" },
        { "result_chunk", """{"result_id":"res_1","chunk_seq":0,"data":"aGk=","encoding":"base64","more":true}""" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void TryRead_WireBody_RoundTripsThroughTypedRecord(string kind, string json)
    {
        // Arrange
        var jobEvent = new JobEvent(kind, _ts, JsonHelpers.Element(json));

        // Act
        var ok = EventBodies.TryRead(jobEvent, out var body, out var error);

        // Assert
        Assert.True(ok, error?.Message);
        Assert.NotNull(body);
        Assert.Equal(kind, body.GetKind());
        Assert.Equal(json, EventBodies.ToElement(body).GetRawText());
    }

    [Fact]
    public void ToJobEvent_LogBody_KindTsAndBody()
    {
        // Arrange
        var body = new LogBody(LogLevels.Warn, "careful");

        // Act
        var jobEvent = EventBodies.ToJobEvent(body, _ts);

        // Assert
        Assert.Equal(EventKinds.Log, jobEvent.Kind);
        Assert.Equal(_ts, jobEvent.Ts);
        Assert.Equal("""{"level":"warn","message":"careful"}""", jobEvent.Body.GetRawText());
    }

    [Fact]
    public void ToElement_ToolResultError_UsesWireCode()
    {
        // Arrange
        var body = new ToolResultBody("c1", Error: ToolError.From(new ProtocolError(ErrorCode.LeaseExpired, "Lease expired.")));

        // Act
        var element = EventBodies.ToElement(body);

        // Assert
        Assert.Equal("""{"call_id":"c1","error":{"code":"LEASE_EXPIRED","message":"Lease expired.","retryable":false}}""", element.GetRawText());
    }

    [Theory]
    [InlineData("x-vendor.acme.foo", """{"anything":[1]}""")]
    [InlineData("custom", """{}""")]
    public void TryRead_VendorOrUnknownKind_PassesThroughWithoutBody(string kind, string json)
    {
        // Arrange
        var jobEvent = new JobEvent(kind, _ts, JsonHelpers.Element(json));

        // Act
        var ok = EventBodies.TryRead(jobEvent, out var body, out var error);

        // Assert
        Assert.True(ok);
        Assert.Null(body);
        Assert.Null(error);
        Assert.Equal(kind == "x-vendor.acme.foo", EventKinds.IsVendor(kind));
    }

    [Theory]
    [InlineData("log", """{"level":"loud","message":"m"}""")]
    [InlineData("log", """{"message":"m"}""")]
    [InlineData("progress", """{"current":-1}""")]
    [InlineData("progress", """{"current":5,"total":4}""")]
    [InlineData("result_chunk", """{"result_id":"r","chunk_seq":0,"data":"x","encoding":"hex","more":false}""")]
    [InlineData("tool_call", """{"tool":"t","call_id":"c","args":[1]}""")]
    [InlineData("tool_result", """{"call_id":"c","result":1,"error":{"code":"TIMEOUT","message":"m","retryable":true}}""")]
    [InlineData("metric", """{"name":"n","value":"1"}""")]
    [InlineData("metric", """{"name":"n","value":1e400}""")]
    public void TryRead_InvalidBody_InvalidRequest(string kind, string json)
    {
        // Arrange
        var jobEvent = new JobEvent(kind, _ts, JsonHelpers.Element(json));

        // Act
        var ok = EventBodies.TryRead(jobEvent, out var body, out var error);

        // Assert
        Assert.False(ok);
        Assert.Null(body);
        Assert.NotNull(error);
        Assert.Equal(ErrorCode.InvalidRequest, error.Code);
    }

    [Fact]
    public void EventKinds_All_TenDefinedKinds()
    {
        // Act
        var all = EventKinds.All;

        // Assert
        Assert.Equal(["log", "thought", "tool_call", "tool_result", "status", "metric", "artifact_ref", "delegate", "progress", "result_chunk"], all);
    }

    [Theory]
    [InlineData("cost.inference", "USD", true)]
    [InlineData("cost.budget.remaining", "USD", false)]
    [InlineData("latency", "ms", false)]
    [InlineData("cost.inference", null, false)]
    public void MetricBody_IsCost_ReturnsExpected(string name, string? unit, bool expected)
    {
        // Arrange
        var metric = new MetricBody(name, 0.1m, unit);

        // Act
        var isCost = metric.IsCost();

        // Assert
        Assert.Equal(expected, isCost);
    }

    [Fact]
    public void DelegateBody_LeaseConstraints_Serialized()
    {
        // Arrange
        var body = new DelegateBody("writer", "job_2", LeaseConstraints: new LeaseConstraints("2026-05-13T23:00:00Z"));

        // Act
        var element = EventBodies.ToElement(body);

        // Assert
        Assert.Equal("2026-05-13T23:00:00Z", element.GetProperty("lease_constraints").GetProperty("expires_at").GetString());
        Assert.Equal(JsonValueKind.Undefined, element.TryGetProperty("input", out var input) ? input.ValueKind : JsonValueKind.Undefined);
    }
}

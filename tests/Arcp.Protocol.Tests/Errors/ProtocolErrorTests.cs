using System.Text.Json;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Messages;
using Arcp.Protocol.Tests.TestData;

namespace Arcp.Protocol.Tests.Errors;

public sealed class ProtocolErrorTests
{
    [Fact]
    public void Constructor_EmptyMessage_Throws()
    {
        // Act + Assert
        Assert.Throws<ArgumentException>(() => new ProtocolError(ErrorCode.InternalError, string.Empty));
    }

    [Fact]
    public void Constructor_NonObjectDetails_Throws()
    {
        // Act + Assert
        Assert.Throws<ArgumentException>(() => new ProtocolError(ErrorCode.InternalError, "m", JsonHelpers.Element("[1]")));
    }

    [Fact]
    public void ToSessionError_WithRequestId_CopiesFieldsAndReplyTo()
    {
        // Arrange
        var error = ProtocolError.WithDetails(ErrorCode.AgentNotAvailable, "No such agent.", ("agent", "x")) with { RequestId = "msg_1" };

        // Act
        var payload = error.ToSessionError();

        // Assert
        Assert.Equal(ErrorCode.AgentNotAvailable, payload.Code);
        Assert.Equal("No such agent.", payload.Message);
        Assert.True(payload.Retryable);
        Assert.Equal("x", payload.Details!.Value.GetProperty("agent").GetString());
        Assert.Equal("msg_1", payload.ReplyTo);
        Assert.Equal(error.Code, payload.ToProtocolError().Code);
    }

    [Theory]
    [InlineData(ErrorCode.Cancelled, JobStatus.Cancelled, false)]
    [InlineData(ErrorCode.Timeout, JobStatus.TimedOut, true)]
    [InlineData(ErrorCode.LeaseExpired, JobStatus.Error, false)]
    [InlineData(ErrorCode.BudgetExhausted, JobStatus.Error, false)]
    [InlineData(ErrorCode.InternalError, JobStatus.Error, true)]
    public void ToJobError_Code_DerivesFinalStatusAndRetryable(ErrorCode code, JobStatus finalStatus, bool retryable)
    {
        // Arrange
        var error = new ProtocolError(code, "failed");

        // Act
        var payload = error.ToJobError("job_1");

        // Assert
        Assert.Equal(finalStatus, payload.FinalStatus);
        Assert.Equal(retryable, payload.Retryable);
        Assert.Equal("job_1", payload.JobId);
        Assert.Equal(code, payload.Code);
    }

    [Fact]
    public void InvalidRequest_WithField_DetailsField()
    {
        // Act
        var error = ProtocolError.InvalidRequest("bad", "payload.limit");

        // Assert
        Assert.Equal(ErrorCode.InvalidRequest, error.Code);
        Assert.False(error.Retryable);
        Assert.Equal(JsonValueKind.Object, error.Details!.Value.ValueKind);
        Assert.Equal("payload.limit", error.Details.Value.GetProperty("field").GetString());
    }
}

using Arcp.Protocol.Errors;

namespace Arcp.Protocol.Tests.Errors;

public sealed class ErrorCodesTests
{
    public static TheoryData<ErrorCode, string, bool> Table() => new()
    {
        { ErrorCode.PermissionDenied, "PERMISSION_DENIED", false },
        { ErrorCode.LeaseSubsetViolation, "LEASE_SUBSET_VIOLATION", false },
        { ErrorCode.JobNotFound, "JOB_NOT_FOUND", false },
        { ErrorCode.DuplicateKey, "DUPLICATE_KEY", false },
        { ErrorCode.AgentNotAvailable, "AGENT_NOT_AVAILABLE", true },
        { ErrorCode.AgentVersionNotAvailable, "AGENT_VERSION_NOT_AVAILABLE", false },
        { ErrorCode.Cancelled, "CANCELLED", false },
        { ErrorCode.Timeout, "TIMEOUT", true },
        { ErrorCode.ResumeWindowExpired, "RESUME_WINDOW_EXPIRED", false },
        { ErrorCode.HeartbeatLost, "HEARTBEAT_LOST", true },
        { ErrorCode.LeaseExpired, "LEASE_EXPIRED", false },
        { ErrorCode.BudgetExhausted, "BUDGET_EXHAUSTED", false },
        { ErrorCode.InvalidRequest, "INVALID_REQUEST", false },
        { ErrorCode.Unauthenticated, "UNAUTHENTICATED", false },
        { ErrorCode.InternalError, "INTERNAL_ERROR", true },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void ToWireNameAndIsRetryable_Code_MatchWireTable(ErrorCode code, string wireName, bool retryable)
    {
        // Act
        var name = code.ToWireName();
        var flag = code.IsRetryable();
        var parsed = ErrorCodes.TryParse(wireName, out var back);

        // Assert
        Assert.Equal(wireName, name);
        Assert.Equal(retryable, flag);
        Assert.True(parsed);
        Assert.Equal(code, back);
    }

    [Fact]
    public void All_Codes_FifteenDistinct()
    {
        // Act
        var all = ErrorCodes.All;

        // Assert
        Assert.Equal(15, all.Count);
        Assert.Equal(15, all.Select(c => c.ToWireName()).Distinct().Count());
        Assert.Equal(Enum.GetValues<ErrorCode>(), all);
    }

    [Theory]
    [InlineData("internal_error")]
    [InlineData("INTERNAL")]
    [InlineData("RATE_LIMITED")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_UnknownName_False(string? name)
    {
        // Act
        var ok = ErrorCodes.TryParse(name, out _);

        // Assert
        Assert.False(ok);
    }

    [Fact]
    public void ToWireName_UndefinedValue_Throws()
    {
        // Act + Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => ((ErrorCode)99).ToWireName());
    }
}

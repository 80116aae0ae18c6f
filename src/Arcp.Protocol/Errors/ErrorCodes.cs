using System.Diagnostics.CodeAnalysis;

namespace Arcp.Protocol.Errors;

/// <summary>Wire names and retryable flags of <see cref="ErrorCode"/> values.</summary>
public static class ErrorCodes
{
    private static readonly (ErrorCode Code, string WireName, bool Retryable)[] _table =
    [
        (ErrorCode.PermissionDenied, "PERMISSION_DENIED", false),
        (ErrorCode.LeaseSubsetViolation, "LEASE_SUBSET_VIOLATION", false),
        (ErrorCode.JobNotFound, "JOB_NOT_FOUND", false),
        (ErrorCode.DuplicateKey, "DUPLICATE_KEY", false),
        (ErrorCode.AgentNotAvailable, "AGENT_NOT_AVAILABLE", true),
        (ErrorCode.AgentVersionNotAvailable, "AGENT_VERSION_NOT_AVAILABLE", false),
        (ErrorCode.Cancelled, "CANCELLED", false),
        (ErrorCode.Timeout, "TIMEOUT", true),
        (ErrorCode.ResumeWindowExpired, "RESUME_WINDOW_EXPIRED", false),
        (ErrorCode.HeartbeatLost, "HEARTBEAT_LOST", true),
        (ErrorCode.LeaseExpired, "LEASE_EXPIRED", false),
        (ErrorCode.BudgetExhausted, "BUDGET_EXHAUSTED", false),
        (ErrorCode.InvalidRequest, "INVALID_REQUEST", false),
        (ErrorCode.Unauthenticated, "UNAUTHENTICATED", false),
        (ErrorCode.InternalError, "INTERNAL_ERROR", true),
    ];

    /// <summary>Gets every defined code, in specification order.</summary>
    public static IReadOnlyList<ErrorCode> All { get; } = Array.AsReadOnly(_table.Select(e => e.Code).ToArray());

    /// <summary>Returns the SCREAMING_SNAKE wire name of <paramref name="code"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined code.</exception>
    public static string ToWireName(this ErrorCode code) => Entry(code).WireName;

    /// <summary>Returns the <c>retryable</c> flag the runtime sends with <paramref name="code"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined code.</exception>
    public static bool IsRetryable(this ErrorCode code) => Entry(code).Retryable;

    /// <summary>Parses a wire name (exact, case-sensitive) into a code.</summary>
    public static bool TryParse([NotNullWhen(true)] string? wireName, out ErrorCode code)
    {
        foreach (var entry in _table)
        {
            if (string.Equals(entry.WireName, wireName, StringComparison.Ordinal))
            {
                code = entry.Code;
                return true;
            }
        }

        code = default;
        return false;
    }

    private static (ErrorCode Code, string WireName, bool Retryable) Entry(ErrorCode code)
    {
        var index = (int)code;
        if (index < 0 || index >= _table.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(code), code, "Unknown ARCP error code.");
        }

        return _table[index];
    }
}

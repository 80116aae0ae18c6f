namespace Arcp.Protocol.Errors;

/// <summary>The fifteen ARCP v1.1 error codes; see <see cref="ErrorCodes"/> for wire names and retryable flags.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(Arcp.Protocol.Json.ErrorCodeJsonConverter))]
public enum ErrorCode
{
    /// <summary><c>PERMISSION_DENIED</c>: operation rejected by lease enforcement.</summary>
    PermissionDenied,

    /// <summary><c>LEASE_SUBSET_VIOLATION</c>: delegation request expanded beyond the parent lease.</summary>
    LeaseSubsetViolation,

    /// <summary><c>JOB_NOT_FOUND</c>: referenced job does not exist or is not visible.</summary>
    JobNotFound,

    /// <summary><c>DUPLICATE_KEY</c>: idempotency key reused with conflicting parameters.</summary>
    DuplicateKey,

    /// <summary><c>AGENT_NOT_AVAILABLE</c>: requested agent is not registered.</summary>
    AgentNotAvailable,

    /// <summary><c>AGENT_VERSION_NOT_AVAILABLE</c>: agent known, requested version unavailable.</summary>
    AgentVersionNotAvailable,

    /// <summary><c>CANCELLED</c>: job ended due to client cancellation.</summary>
    Cancelled,

    /// <summary><c>TIMEOUT</c>: job exceeded <c>max_runtime_sec</c>.</summary>
    Timeout,

    /// <summary><c>RESUME_WINDOW_EXPIRED</c>: resume attempted after the buffer window closed.</summary>
    ResumeWindowExpired,

    /// <summary><c>HEARTBEAT_LOST</c>: peer detected counterparty disconnection.</summary>
    HeartbeatLost,

    /// <summary><c>LEASE_EXPIRED</c>: the lease's <c>expires_at</c> was reached.</summary>
    LeaseExpired,

    /// <summary><c>BUDGET_EXHAUSTED</c>: a <c>cost.budget</c> counter reached zero.</summary>
    BudgetExhausted,

    /// <summary><c>INVALID_REQUEST</c>: malformed envelope or schema violation.</summary>
    InvalidRequest,

    /// <summary><c>UNAUTHENTICATED</c>: missing or invalid authentication.</summary>
    Unauthenticated,

    /// <summary><c>INTERNAL_ERROR</c>: unrecoverable runtime fault.</summary>
    InternalError,
}

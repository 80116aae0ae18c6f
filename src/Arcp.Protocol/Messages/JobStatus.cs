using System.Text.Json.Serialization;
using Arcp.Protocol.Json;

namespace Arcp.Protocol.Messages;

/// <summary>Job states; also the <c>final_status</c> of terminal messages.</summary>
[JsonConverter(typeof(JobStatusJsonConverter))]
public enum JobStatus
{
    /// <summary><c>pending</c>: registered, not started.</summary>
    Pending,

    /// <summary><c>running</c>: the agent is executing.</summary>
    Running,

    /// <summary><c>success</c>: terminal, finished with a result.</summary>
    Success,

    /// <summary><c>error</c>: terminal, failed.</summary>
    Error,

    /// <summary><c>cancelled</c>: terminal, cancelled by the client.</summary>
    Cancelled,

    /// <summary><c>timed_out</c>: terminal, exceeded <c>max_runtime_sec</c>.</summary>
    TimedOut,
}

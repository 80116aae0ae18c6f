using Arcp.Protocol.Messages;

namespace Arcp.Runtime.Jobs;

/// <summary>A snapshot of a job's <c>state</c> row: its definition plus everything that changes, with the version it was read at.</summary>
public sealed record JobState
{
    /// <summary>The fixed part.</summary>
    public required JobDefinition Definition { get; init; }

    /// <summary>Current status.</summary>
    public required JobStatus Status { get; init; }

    /// <summary>Index the next appended job event gets (job events are numbered from 1).</summary>
    public long NextEventIndex { get; init; } = 1;

    /// <summary>True once the terminal event is written: nothing may be appended after it.</summary>
    public bool Sealed { get; init; }

    /// <summary>True once the submitting session asked to cancel.</summary>
    public bool CancelRequested { get; init; }

    /// <summary>The cancel reason, when given.</summary>
    public string? CancelReason { get; init; }

    /// <summary>The worker currently running the agent.</summary>
    public string? Owner { get; init; }

    /// <summary>Until when <see cref="Owner"/> holds the job; a later claim may take over after it.</summary>
    public DateTimeOffset? OwnerLeaseExpiresAt { get; init; }

    /// <summary>How many times a worker claimed the job; with <see cref="Owner"/> it fences the runner's writes.</summary>
    public int Attempt { get; init; }

    /// <summary>Claims handed back cleanly (a graceful shutdown): they do not count towards poison detection.</summary>
    public int Handoffs { get; init; }

    /// <summary>Ids of the last few commits to the partition, so a retried commit whose reply was lost is recognised.</summary>
    public IReadOnlyList<string> RecentCommits { get; init; } = [];

    /// <summary>Remaining budget, currency → amount (may go below zero).</summary>
    public IReadOnlyDictionary<string, decimal> Budget { get; init; } = new Dictionary<string, decimal>();

    /// <summary>The streamed result id, once the agent started streaming.</summary>
    public string? ResultId { get; init; }

    /// <summary>When a worker first claimed the job.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the terminal transition was written.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Lowest job event index still stored; older events were swept.</summary>
    public long EventFloor { get; init; } = 1;

    /// <summary>Opaque version of the row (the storage ETag); conditional writes compare it.</summary>
    public required string Version { get; init; }

    /// <summary>Shortcut for <see cref="Definition"/>.JobId.</summary>
    public string JobId => Definition.JobId;

    /// <summary>Claims that ended in a crash or a lost claim rather than a clean handoff.</summary>
    public int FailedAttempts => Attempt - Handoffs;

    /// <summary>Number of job events stored so far.</summary>
    public long EventCount => NextEventIndex - 1;
}

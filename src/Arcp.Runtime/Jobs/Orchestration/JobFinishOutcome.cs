namespace Arcp.Runtime.Jobs.Orchestration;

/// <summary>What the <c>FinishJob</c> activity did.</summary>
public enum JobFinishOutcome
{
    /// <summary>It wrote the terminal transition.</summary>
    Finished,

    /// <summary>The job had already ended; nothing was written.</summary>
    AlreadyTerminal,

    /// <summary>No such job.</summary>
    NotFound,
}

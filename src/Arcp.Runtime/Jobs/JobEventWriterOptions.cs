namespace Arcp.Runtime.Jobs;

/// <summary>Limits of one group-commit append.</summary>
internal sealed class JobEventWriterOptions
{
    /// <summary>Largest payload bytes one append carries; the table service takes at most 4 MiB per transaction.</summary>
    public int MaxBatchBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>Most events one append carries.</summary>
    public int MaxBatchEvents { get; set; } = 10_000;

    /// <summary>Most durable steps one append records (each is a row; a table transaction holds at most 100).</summary>
    public int MaxStepsPerBatch { get; set; } = 50;
}

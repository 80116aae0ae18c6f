namespace Arcp.Runtime.Jobs;

/// <summary>Limits of one group-commit append.</summary>
public sealed class JobEventWriterOptions
{
    /// <summary>Largest payload bytes one append carries; the table service takes at most 4 MiB per transaction.</summary>
    public int MaxBatchBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>Most events one append carries.</summary>
    public int MaxBatchEvents { get; set; } = 10_000;
}

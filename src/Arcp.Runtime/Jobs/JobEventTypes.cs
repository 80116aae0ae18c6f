namespace Arcp.Runtime.Jobs;

/// <summary>The envelope types a job's event stream holds.</summary>
internal static class JobEventTypes
{
    /// <summary>A progress-stream event.</summary>
    public const string Event = "job.event";

    /// <summary>The success terminal.</summary>
    public const string Result = "job.result";

    /// <summary>The failure / cancelled / timed-out terminal.</summary>
    public const string Error = "job.error";
}

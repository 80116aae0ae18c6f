namespace Arcp.Protocol.Events;

/// <summary>The <c>job.event</c> kinds; kinds starting with <c>x-vendor.</c> are vendor kinds passed through untouched.</summary>
public static class EventKinds
{
    /// <summary><c>log</c>.</summary>
    public const string Log = "log";

    /// <summary><c>thought</c>.</summary>
    public const string Thought = "thought";

    /// <summary><c>tool_call</c>.</summary>
    public const string ToolCall = "tool_call";

    /// <summary><c>tool_result</c>.</summary>
    public const string ToolResult = "tool_result";

    /// <summary><c>status</c>.</summary>
    public const string Status = "status";

    /// <summary><c>metric</c>.</summary>
    public const string Metric = "metric";

    /// <summary><c>artifact_ref</c>.</summary>
    public const string ArtifactRef = "artifact_ref";

    /// <summary><c>delegate</c>.</summary>
    public const string Delegate = "delegate";

    /// <summary><c>progress</c>.</summary>
    public const string Progress = "progress";

    /// <summary><c>result_chunk</c>.</summary>
    public const string ResultChunk = "result_chunk";

    /// <summary>Prefix of vendor kinds.</summary>
    public const string VendorPrefix = "x-vendor.";

    /// <summary>Gets the ten defined kinds.</summary>
    public static IReadOnlyList<string> All { get; } = [Log, Thought, ToolCall, ToolResult, Status, Metric, ArtifactRef, Delegate, Progress, ResultChunk];

    /// <summary>Returns whether <paramref name="kind"/> is one of the ten defined kinds.</summary>
    public static bool IsDefined(string? kind) => kind is not null && All.Contains(kind);

    /// <summary>Returns whether <paramref name="kind"/> is a vendor kind (<c>x-vendor.…</c>).</summary>
    public static bool IsVendor(string? kind) => kind is not null && kind.Length > VendorPrefix.Length && kind.StartsWith(VendorPrefix, StringComparison.Ordinal);
}

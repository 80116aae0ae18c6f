using System.Diagnostics.CodeAnalysis;

namespace Arcp.Protocol.Messages;

/// <summary>Wire names of <see cref="JobStatus"/> values.</summary>
public static class JobStatuses
{
    private static readonly string[] _names = ["pending", "running", "success", "error", "cancelled", "timed_out"];

    /// <summary>Returns the wire name (<c>pending</c>, …, <c>timed_out</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not defined.</exception>
    public static string ToWireName(this JobStatus status)
    {
        var index = (int)status;
        return index >= 0 && index < _names.Length
            ? _names[index]
            : throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown job status.");
    }

    /// <summary>Returns whether the status is terminal (success, error, cancelled, timed_out).</summary>
    public static bool IsTerminal(this JobStatus status) => status is not (JobStatus.Pending or JobStatus.Running);

    /// <summary>Parses a wire name (exact, case-sensitive).</summary>
    public static bool TryParse([NotNullWhen(true)] string? name, out JobStatus status)
    {
        var index = Array.IndexOf(_names, name);
        status = (JobStatus)Math.Max(index, 0);
        return index >= 0;
    }
}

using System.Text;

namespace Arcp.Runtime.Sessions.Handlers;

/// <summary>The opaque <c>session.list_jobs</c> cursor: the last listed job id, base64url without padding.</summary>
internal static class JobListCursor
{
    public static string Encode(string jobId) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(jobId)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The job id to list after; null (start from the beginning) for an absent or malformed cursor.</summary>
    public static string? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=')));
            return decoded.StartsWith("job_", StringComparison.Ordinal) ? decoded : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

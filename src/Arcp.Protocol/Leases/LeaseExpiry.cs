using System.Diagnostics.CodeAnalysis;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Json;

namespace Arcp.Protocol.Leases;

/// <summary>Rules for <c>lease_constraints.expires_at</c>: RFC 3339, literal uppercase <c>Z</c> suffix, strictly in the future at submission.</summary>
public static class LeaseExpiry
{
    private const string Field = "payload.lease_constraints.expires_at";

    /// <summary>Parses and checks <paramref name="text"/> against <paramref name="now"/>; failures are <c>INVALID_REQUEST</c>.</summary>
    public static bool TryParse(string? text, DateTimeOffset now, out DateTimeOffset expiresAt, [NotNullWhen(false)] out ProtocolError? error)
    {
        if (!TryParseFormat(text, out expiresAt, out error))
        {
            return false;
        }

        if (expiresAt <= now)
        {
            error = ProtocolError.InvalidRequest("lease_constraints.expires_at must be in the future.", Field);
            return false;
        }

        return true;
    }

    /// <summary>Checks only the syntax (RFC 3339 ending in <c>Z</c>), not the time.</summary>
    public static bool TryParseFormat(string? text, out DateTimeOffset expiresAt, [NotNullWhen(false)] out ProtocolError? error)
    {
        expiresAt = default;
        if (string.IsNullOrEmpty(text) || text[^1] != 'Z' || !ArcpTimestamp.TryParse(text, out expiresAt))
        {
            error = ProtocolError.InvalidRequest("lease_constraints.expires_at must be an RFC 3339 UTC timestamp ending in 'Z'.", Field);
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>Returns whether an operation at <paramref name="now"/> is at or after <paramref name="expiresAt"/>.</summary>
    public static bool IsExpired(DateTimeOffset expiresAt, DateTimeOffset now) => now >= expiresAt;

    /// <summary>Returns a delegated job's effective expiry: the earlier of both, or whichever exists.</summary>
    public static DateTimeOffset? Effective(DateTimeOffset? child, DateTimeOffset? parent) =>
        (child, parent) switch
        {
            (null, _) => parent,
            (_, null) => child,
            _ => child < parent ? child : parent,
        };
}

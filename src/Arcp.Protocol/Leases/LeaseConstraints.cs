namespace Arcp.Protocol.Leases;

/// <summary>The <c>lease_constraints</c> object; <c>expires_at</c> is kept as sent so it is echoed verbatim (validate with <see cref="LeaseExpiry"/>).</summary>
/// <param name="ExpiresAt">RFC 3339 UTC time ending in <c>Z</c> after which the lease is void.</param>
public sealed record LeaseConstraints(string? ExpiresAt = null);

namespace Arcp.Protocol.Events;

/// <summary><c>status</c> body <c>{phase, message?}</c> plus phase-specific keys (credential rotation).</summary>
/// <param name="Phase">Phase, e.g. <c>running</c>, <c>back_pressure</c>, <c>lease_expired</c>, <c>credential_rotated</c>.</param>
/// <param name="Message">Optional message.</param>
/// <param name="CredentialId">Rotated credential id (<c>credential_rotated</c>).</param>
/// <param name="CredentialValue">New credential value (<c>credential_rotated</c>; removed for non-submitter observers).</param>
public sealed record StatusBody(string Phase, string? Message = null, string? CredentialId = null, string? CredentialValue = null) : EventBody
{
    /// <summary><c>running</c>.</summary>
    public const string Running = "running";

    /// <summary><c>back_pressure</c>.</summary>
    public const string BackPressure = "back_pressure";

    /// <summary><c>lease_expired</c>.</summary>
    public const string LeaseExpired = "lease_expired";

    /// <summary><c>credential_rotated</c>.</summary>
    public const string CredentialRotated = "credential_rotated";

    /// <inheritdoc/>
    public override string GetKind() => EventKinds.Status;

    /// <summary>Returns a log-safe description without the credential value.</summary>
    public override string ToString() => $"StatusBody {{ Phase = {Phase}, Message = {Message}, CredentialId = {CredentialId} }}";
}

using Arcp.Protocol.Events;

namespace Arcp.Runtime.Agents;

internal sealed partial class RuntimeJobContext
{
    /// <inheritdoc />
    public override async Task<IReadOnlyList<string>> GetCredentialIdsAsync() =>
        _credentials is null ? [] : await _credentials.ListIdsAsync(JobId, CancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Rotates one of the job's provisioned credentials (§9.8.2): the old value stops working, the new one is kept
    /// protected, and a <c>status credential_rotated</c> event carries the id and the new value — observers of another
    /// principal get it without the value. Returns the new value.
    /// </summary>
    public override async Task<string> RotateCredentialAsync(string credentialId)
    {
        ArgumentException.ThrowIfNullOrEmpty(credentialId);
        var rotated = await (_credentials ?? throw new InvalidOperationException("Credentials are not available on this worker.")).RotateAsync(JobId, credentialId, CancellationToken).ConfigureAwait(false);
        await EmitRawAsync(new StatusBody(StatusBody.CredentialRotated, "credential rotated", credentialId, rotated.Value), progress: null).ConfigureAwait(false);
        return rotated.Value;
    }
}

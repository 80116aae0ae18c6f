namespace Arcp.Protocol.Events;

/// <summary><c>artifact_ref</c> body <c>{uri, content_type, byte_size?, sha256?}</c>.</summary>
/// <param name="Uri">Artifact location.</param>
/// <param name="ContentType">Media type.</param>
/// <param name="ByteSize">Size in bytes.</param>
/// <param name="Sha256">Lowercase hex SHA-256.</param>
public sealed record ArtifactRefBody(string Uri, string ContentType, long? ByteSize = null, string? Sha256 = null) : EventBody
{
    /// <inheritdoc/>
    public override string GetKind() => EventKinds.ArtifactRef;
}

using Arcp.Protocol.Envelopes;

namespace Arcp.Client.Connection;

/// <summary>
/// A request awaiting its reply. The frame is kept so it can be sent again, unchanged, on the connection that
/// resumes the session when the first one dropped before the reply arrived.
/// </summary>
internal sealed class PendingRequest(string id, PendingKind kind, byte[] frame, string? jobId = null)
{
    public string Id { get; } = id;

    public PendingKind Kind { get; } = kind;

    public string? JobId { get; } = jobId;

    public byte[] Frame { get; } = frame;

    /// <summary>The connection generation the frame was last sent on; 0 = not sent yet.</summary>
    public int SentGeneration { get; set; }

    public TaskCompletionSource<ArcpMessage> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

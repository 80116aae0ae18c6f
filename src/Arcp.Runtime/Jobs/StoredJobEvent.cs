using System.Text;

namespace Arcp.Runtime.Jobs;

/// <summary>A job event as stored: its job-scoped index (from 1) plus what was appended, the payload as the UTF-8 bytes it was stored as.</summary>
public sealed record StoredJobEvent(long Index, string Type, ReadOnlyMemory<byte> Payload, DateTimeOffset Timestamp, string MessageId)
{
    /// <summary>An event whose payload is given as JSON text.</summary>
    public StoredJobEvent(long index, string type, string payloadJson, DateTimeOffset timestamp, string messageId)
        : this(index, type, Encoding.UTF8.GetBytes(payloadJson), timestamp, messageId)
    {
    }

    /// <summary>Whether this is the job's terminal event.</summary>
    public bool IsTerminal => Type is JobEventTypes.Result or JobEventTypes.Error;

    /// <summary>The payload as JSON text (decoded on each call; not for the delivery path).</summary>
    public string PayloadJson => Encoding.UTF8.GetString(Payload.Span);
}

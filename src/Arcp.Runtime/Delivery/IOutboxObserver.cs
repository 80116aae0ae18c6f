namespace Arcp.Runtime.Delivery;

/// <summary>Told when new events were mapped into a session's outbox on this node (say, to push them through a relay).</summary>
public interface IOutboxObserver
{
    /// <summary>Called after a successful sync; must return quickly (start work, do not await it).</summary>
    void OutboxSynced(string sessionId);
}

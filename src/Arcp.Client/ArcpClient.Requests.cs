using Arcp.Client.Connection;
using Arcp.Protocol.Envelopes;

namespace Arcp.Client;

public sealed partial class ArcpClient
{
    /// <summary>
    /// Sends a request and waits for its reply. A request whose connection drops before the reply is sent again on the
    /// resumed connection, so callers never see a drop the session survived.
    /// </summary>
    private async Task<ArcpMessage> RequestAsync(PendingRequest request, CancellationToken cancellationToken)
    {
        WebSocketConnection? connection = null;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            if (_fatal is { } fatal)
            {
                throw fatal;
            }

            _pending.Add(request);
            if (_ready)
            {
                request.SentGeneration = _generation;
                connection = _connection;
            }
        }

        if (connection is not null)
        {
            await TrySendAsync(connection, request.Frame).ConfigureAwait(false);
        }

        try
        {
            return await request.Reply.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _pending.Remove(request);
            }
        }
    }

    /// <summary>Sends a message that has no reply on the current connection, if there is one.</summary>
    private async Task SendOneWayAsync(ArcpPayload payload, string? jobId = null)
    {
        WebSocketConnection? connection;
        lock (_gate)
        {
            connection = _ready ? _connection : null;
        }

        if (connection is not null)
        {
            await TrySendAsync(connection, Frame(payload, jobId)).ConfigureAwait(false);
        }
    }
}

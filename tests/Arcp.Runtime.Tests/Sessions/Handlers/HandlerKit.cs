using System.Text;
using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Messages;
using Arcp.Protocol.Parsing;
using Arcp.Runtime.Sessions;

namespace Arcp.Runtime.Tests.Sessions.Handlers;

/// <summary>Connections and frames for driving one message handler (or the dispatcher) without a transport.</summary>
internal static class HandlerKit
{
    private static int s_ids;

    /// <summary>A stored, attached session and its open connection, as a welcome leaves them.</summary>
    public static async Task<(SessionConnection Connection, RecordingOutput Output)> OpenAsync(RuntimeHarness harness, string principal = "alice", params string[] features)
    {
        var output = new RecordingOutput();
        var connectionId = "conn_" + Guid.NewGuid().ToString("N");
        var session = new SessionState
        {
            SessionId = "sess_" + Guid.NewGuid().ToString("N"),
            Principal = principal,
            ConnectionId = connectionId,
            CreatedAt = DateTimeOffset.UtcNow,
            Features = features.Length == 0 ? ["progress"] : features,
        };
        await harness.Sessions.CreateAsync(session, default);
        var connection = harness.Get<SessionService>().Restore(connectionId, output, session);
        Assert.True(connection.IsOpen);
        return (connection, output);
    }

    /// <summary>An inbound envelope of <paramref name="type"/> with <paramref name="payloadJson"/>, parsed as the dispatcher would.</summary>
    public static ArcpMessage Message(string type, string payloadJson, string? jobId = null)
    {
        var id = "msg_t" + Interlocked.Increment(ref s_ids);
        var job = jobId is null ? "" : $",\"job_id\":\"{jobId}\"";
        Assert.True(ArcpParser.TryParse(Frame(type, payloadJson, id, job), out var message, out var error), error?.Message);
        return message;
    }

    public static string Frame(string type, string payloadJson, string? id = null, string extra = "") =>
        $"{{\"arcp\":\"1.1\",\"id\":\"{id ?? "msg_f" + Interlocked.Increment(ref s_ids)}\",\"type\":\"{type}\"{extra},\"payload\":{payloadJson}}}";

    public static Task SendFrameAsync(SessionService sessions, SessionConnection connection, string frame) =>
        sessions.HandleFrameAsync(connection, Encoding.UTF8.GetBytes(frame), CancellationToken.None);

    public static SessionError Error(ArcpMessage message) => Assert.IsType<SessionError>(message.Payload);

    public static void AssertError(ArcpMessage message, ErrorCode code, string? replyTo)
    {
        var error = Error(message);
        Assert.Equal(code, error.Code);
        Assert.Equal(replyTo, error.ReplyTo);
    }
}

/// <summary>The frames a connection was sent, parsed.</summary>
internal sealed class RecordingOutput : ISessionOutput
{
    private readonly List<byte[]> _frames = [];

    public bool Closed { get; private set; }

    public IReadOnlyList<ArcpMessage> Messages
    {
        get
        {
            lock (_frames)
            {
                return _frames.Select(f => ArcpParser.TryParse(f, out var m, out var e) ? m : throw new InvalidOperationException(e.Message)).ToList();
            }
        }
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        lock (_frames)
        {
            _frames.Add(frame.ToArray());
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask CloseAsync(string reason, CancellationToken cancellationToken)
    {
        Closed = true;
        return ValueTask.CompletedTask;
    }
}

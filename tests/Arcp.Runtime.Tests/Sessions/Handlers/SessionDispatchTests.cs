using Arcp.Protocol.Errors;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Sessions;
using Arcp.Runtime.Sessions.Handlers;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Runtime.Tests.Sessions.Handlers;

/// <summary>The shared checks and the routing of <see cref="SessionService"/>, with the real handlers behind it.</summary>
public sealed class SessionDispatchTests
{
    [Fact]
    public async Task BeforeHello_OnlyHandshakeAndLiveness_EverythingElseSayHelloFirst()
    {
        await using var harness = new RuntimeHarness();
        var sessions = harness.Get<SessionService>();
        var output = new RecordingOutput();
        var connection = sessions.Open("conn_" + Guid.NewGuid().ToString("N"), output);

        await HandlerKit.SendFrameAsync(sessions, connection, HandlerKit.Frame("job.submit", """{"agent":"echo"}""", "msg_s1"));
        await HandlerKit.SendFrameAsync(sessions, connection, HandlerKit.Frame("job.accepted", """{"job_id":"job_x","agent":"echo@1.0.0","lease":{},"accepted_at":"2026-01-01T00:00:00Z","trace_id":"0af7651916cd43dd8448eb211c80319c"}""", "msg_s2"));
        await HandlerKit.SendFrameAsync(sessions, connection, HandlerKit.Frame("session.ping", """{"nonce":"n-1","sent_at":"2026-01-01T00:00:00Z"}"""));
        await HandlerKit.SendFrameAsync(sessions, connection, HandlerKit.Frame("session.pong", """{"ping_nonce":"n-2","received_at":"2026-01-01T00:00:00Z"}"""));

        var replies = output.Messages;
        Assert.Equal(3, replies.Count);
        HandlerKit.AssertError(replies[0], ErrorCode.Unauthenticated, "msg_s1");
        HandlerKit.AssertError(replies[1], ErrorCode.Unauthenticated, "msg_s2");
        Assert.Equal("n-1", Assert.IsType<SessionPong>(replies[2].Payload).PingNonce);
        Assert.False(connection.IsOpen);
    }

    [Fact]
    public async Task OpenSession_HandshakeAgain_AlreadyOpen_RuntimeOnlyType_NotAccepted()
    {
        await using var harness = new RuntimeHarness();
        var sessions = harness.Get<SessionService>();
        var (connection, output) = await HandlerKit.OpenAsync(harness);

        await HandlerKit.SendFrameAsync(sessions, connection, HandlerKit.Frame("session.hello", """{"client":{"name":"t","version":"1"},"auth":{"scheme":"bearer","token":"x"}}""", "msg_h"));
        await HandlerKit.SendFrameAsync(sessions, connection, HandlerKit.Frame("session.resume", """{"resume_token":"x","last_event_seq":0}""", "msg_r"));
        await HandlerKit.SendFrameAsync(sessions, connection, HandlerKit.Frame("job.cancelled", """{"job_id":"job_x"}""", "msg_c"));

        var replies = output.Messages;
        Assert.Equal(3, replies.Count);
        HandlerKit.AssertError(replies[0], ErrorCode.InvalidRequest, "msg_h");
        Assert.Equal("The session is already open.", HandlerKit.Error(replies[0]).Message);
        HandlerKit.AssertError(replies[1], ErrorCode.InvalidRequest, "msg_r");
        HandlerKit.AssertError(replies[2], ErrorCode.InvalidRequest, "msg_c");
        Assert.Equal("job.cancelled is not accepted from clients.", HandlerKit.Error(replies[2]).Message);
        Assert.True(connection.IsOpen);
    }

    [Fact]
    public async Task ReplayedId_HandledOnce()
    {
        await using var harness = new RuntimeHarness();
        var sessions = harness.Get<SessionService>();
        var (connection, output) = await HandlerKit.OpenAsync(harness);
        var ping = HandlerKit.Frame("session.ping", """{"nonce":"n-1","sent_at":"2026-01-01T00:00:00Z"}""", "msg_p");

        await HandlerKit.SendFrameAsync(sessions, connection, ping);
        await HandlerKit.SendFrameAsync(sessions, connection, ping);

        Assert.IsType<SessionPong>(Assert.Single(output.Messages).Payload);
    }

    [Fact]
    public async Task HandlerFault_InternalErrorWithCorrelation_ConnectionKeepsWorking()
    {
        await using var harness = new RuntimeHarness(services =>
        {
            services.Remove(services.Single(d => d.ImplementationType == typeof(SessionAckHandler)));
            services.AddSingleton<IMessageHandler, ThrowingAckHandler>();
        });
        var sessions = harness.Get<SessionService>();
        var (connection, output) = await HandlerKit.OpenAsync(harness, "alice", "ack");

        await HandlerKit.SendFrameAsync(sessions, connection, HandlerKit.Frame("session.ack", """{"last_processed_seq":1}""", "msg_a"));
        await HandlerKit.SendFrameAsync(sessions, connection, HandlerKit.Frame("session.ping", """{"nonce":"n-1","sent_at":"2026-01-01T00:00:00Z"}"""));

        var replies = output.Messages;
        Assert.Equal(2, replies.Count);
        HandlerKit.AssertError(replies[0], ErrorCode.InternalError, "msg_a");
        Assert.IsType<SessionPong>(replies[1].Payload);
    }

    [Fact]
    public async Task EveryClientMessageType_HasExactlyOneHandler()
    {
        await using var harness = new RuntimeHarness();
        var handled = harness.Get<IEnumerable<IMessageHandler>>().SelectMany(h => h.PayloadTypes).ToList();

        Assert.Equal(handled.Count, handled.Distinct().Count());
        Type[] clientTypes =
        [
            typeof(SessionHello), typeof(SessionResume), typeof(SessionPing), typeof(SessionPong), typeof(SessionAck),
            typeof(SessionListJobs), typeof(SessionClose), typeof(SessionBye), typeof(JobSubmit), typeof(JobCancel),
            typeof(JobSubscribe), typeof(JobUnsubscribe),
        ];
        Assert.Equal(clientTypes.OrderBy(t => t.Name), handled.OrderBy(t => t.Name));
    }

    [Fact]
    public async Task TwoHandlersForOneType_RefusedAtStartup()
    {
        await using var harness = new RuntimeHarness(services => services.AddSingleton<IMessageHandler, ThrowingPingHandler>());

        var error = Assert.Throws<InvalidOperationException>(() => harness.Get<SessionService>());
        Assert.Contains(nameof(SessionPing), error.Message, StringComparison.Ordinal);
    }

    private sealed class ThrowingAckHandler : IMessageHandler
    {
        public IReadOnlyList<Type> PayloadTypes { get; } = [typeof(SessionAck)];

        public MessagePhase Phase => MessagePhase.Open;

        public Task HandleAsync(SessionConnection connection, Protocol.Envelopes.ArcpMessage message, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("storage said no");
    }

    private sealed class ThrowingPingHandler : IMessageHandler
    {
        public IReadOnlyList<Type> PayloadTypes { get; } = [typeof(SessionPing)];

        public MessagePhase Phase => MessagePhase.Any;

        public Task HandleAsync(SessionConnection connection, Protocol.Envelopes.ArcpMessage message, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("not reached");
    }
}

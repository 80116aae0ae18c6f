using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Ids;
using Arcp.Protocol.Messages;
using Arcp.Protocol.Parsing;
using Arcp.Runtime.Agents;
using Arcp.Runtime.Delivery;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Sessions.Auth;
using Arcp.Runtime.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Arcp.Runtime.Sessions;

/// <summary>
/// Handles every inbound ARCP message of a session (§6, §7). Each decision is read from and written to storage, so
/// any node can serve any message; the <see cref="SessionConnection"/> only caches what the welcome established.
/// Bad input is answered with a <c>session.error</c> and the connection keeps working.
/// </summary>
public sealed partial class SessionService(
    ISessionStore sessions,
    IJobStore jobs,
    IPrincipalJobIndex index,
    JobService jobService,
    AgentCatalog agents,
    IBearerAuthenticator authenticator,
    SignalHub signals,
    SessionCap sessionCap,
    Credentials.CredentialService credentials,
    TimeProvider timeProvider,
    IOptions<ArcpSessionOptions> options,
    ILogger<SessionService> logger)
{
    private readonly ArcpSessionOptions _options = options.Value;
    private readonly IdGenerator _ids = new(timeProvider);
    private readonly EnvelopeFactory _envelopes = new(timeProvider);
    private readonly ArcpParserOptions _parserOptions = new() { MaxFrameBytes = options.Value.MaxFrameBytes };

    /// <summary>Session options in effect.</summary>
    public ArcpSessionOptions Options => _options;

    /// <summary>Creates the per-connection state for a new transport connection.</summary>
    /// <param name="connectionId">The transport's id for the connection.</param>
    /// <param name="output">Where frames for the client go.</param>
    /// <param name="secureTransport">False for an unencrypted connection from another machine: no credentials are offered on it.</param>
    public SessionConnection Open(string connectionId, ISessionOutput output, bool secureTransport = true) =>
        new(connectionId, _ids.NewSessionId(), output, timeProvider.GetUtcNow()) { IsSecureTransport = secureTransport };

    /// <summary>
    /// Rebuilds the connection state of a stateless transport (one HTTP request per message): open when
    /// <paramref name="session"/> is attached to <paramref name="connectionId"/>, otherwise a fresh, not yet welcomed one.
    /// </summary>
    /// <param name="connectionId">The transport's id for the connection.</param>
    /// <param name="output">Where frames for the client go.</param>
    /// <param name="session">The session as stored, when the connection state named one.</param>
    /// <param name="guard">The transport connection's inbound limits, kept across its messages.</param>
    public SessionConnection Restore(string connectionId, ISessionOutput output, SessionState? session, InboundGuard? guard = null)
    {
        var connection = new SessionConnection(connectionId, _ids.NewSessionId(), output, timeProvider.GetUtcNow()) { Guard = guard ?? new InboundGuard() };
        if (session is not null && session.ConnectionId == connectionId)
        {
            connection.SessionId = session.SessionId;
            connection.Principal = session.Principal;
            connection.Features = session.Features;
            connection.DeliveredSeq = session.DeliveredSeq;
            connection.AckedSeq = session.LastAckedSeq;
            connection.LastInboundAt = session.LastInboundAt ?? session.CreatedAt;
            connection.IsOpen = true;
        }

        return connection;
    }

    /// <summary>Handles one inbound frame (UTF-8). Never throws for bad input; faults become <c>INTERNAL_ERROR</c>.</summary>
    public async Task HandleFrameAsync(SessionConnection connection, ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var now = timeProvider.GetUtcNow();
        connection.LastInboundAt = now;
        if (!connection.TryAdmit(now, _options.MaxInboundPerSecond))
        {
            await SendErrorAsync(connection, new ProtocolError(ErrorCode.InvalidRequest, "Too many messages; slow down."), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!ArcpParser.TryParse(frame.Span, _parserOptions, out var message, out var parseError))
        {
            await SendErrorAsync(connection, parseError, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (message.IsVendorMessage || !connection.TryRemember(message.Id))
        {
            // Optional vendor extensions are dropped (as the public ARCP SDKs expect); a frame whose id was just handled is a replay.
            return;
        }

        if (message.Payload is not (SessionPing or SessionPong or SessionAck))
        {
            connection.LastActivityAt = now;
        }

        if (message.Payload is JobSubmit && !IdFormats.IsValidTraceId(message.TraceId))
        {
            // The job's trace id is fixed here rather than by the job service, so the span of the submit is in it too.
            message = message with { TraceId = IdGenerator.NewTraceId() };
        }

        using var activity = ArcpTelemetry.StartSessionMessage(message.Type, connection.SessionId, message.TraceId);
        if (activity is not null && message.JobId is { } jobId)
        {
            activity.SetTag(ArcpTelemetry.Tags.JobId, jobId);
        }

        try
        {
            await DispatchAsync(connection, message, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.GetType().Name);
            var correlation = Guid.NewGuid().ToString("N")[..12];
            LogHandlerFailed(logger, ex, message.Type, connection.SessionId, correlation);
            await SendErrorAsync(connection, ProtocolError.WithDetails(ErrorCode.InternalError, "The runtime failed to handle the message.", ("correlation_id", correlation)) with { RequestId = message.Id }, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task DispatchAsync(SessionConnection connection, ArcpMessage message, CancellationToken cancellationToken)
    {
        if (!connection.IsOpen)
        {
            return message.Payload switch
            {
                SessionHello hello => HelloAsync(connection, message, hello, cancellationToken),
                SessionResume resume => BareResumeAsync(connection, message, resume, cancellationToken),
                SessionPing ping => PongAsync(connection, ping, cancellationToken),
                SessionPong => Task.CompletedTask,
                _ => SendErrorAsync(connection, new ProtocolError(ErrorCode.Unauthenticated, "Say session.hello first.") { RequestId = message.Id }, cancellationToken),
            };
        }

        return message.Payload switch
        {
            SessionHello => SendErrorAsync(connection, new ProtocolError(ErrorCode.InvalidRequest, "The session is already open.") { RequestId = message.Id }, cancellationToken),
            SessionResume => SendErrorAsync(connection, new ProtocolError(ErrorCode.InvalidRequest, "The session is already open.") { RequestId = message.Id }, cancellationToken),
            SessionPing ping => PongAsync(connection, ping, cancellationToken),
            SessionPong => Task.CompletedTask,
            SessionAck ack => AckAsync(connection, ack, cancellationToken),
            SessionListJobs list => ListJobsAsync(connection, message, list, cancellationToken),
            JobSubmit submit => SubmitAsync(connection, message, submit, cancellationToken),
            JobCancel cancel => CancelAsync(connection, message, cancel, cancellationToken),
            JobSubscribe subscribe => SubscribeAsync(connection, message, subscribe, cancellationToken),
            JobUnsubscribe unsubscribe => UnsubscribeAsync(connection, unsubscribe, cancellationToken),
            SessionClose close => CloseAsync(connection, close.Reason, cancellationToken),
            SessionBye bye => CloseAsync(connection, bye.Reason, cancellationToken),
            _ => SendErrorAsync(connection, ProtocolError.WithDetails(ErrorCode.InvalidRequest, $"{message.Type} is not accepted from clients.", ("type", message.Type)) with { RequestId = message.Id }, cancellationToken),
        };
    }

    private Task PongAsync(SessionConnection connection, SessionPing ping, CancellationToken cancellationToken) =>
        SendAsync(connection, new SessionPong(ping.Nonce, Protocol.Json.ArcpTimestamp.Truncate(timeProvider.GetUtcNow())), cancellationToken: cancellationToken).AsTask();

    /// <summary>Sends a control message on the connection (no <c>event_seq</c>).</summary>
    public ValueTask SendAsync(SessionConnection connection, ArcpPayload payload, string? jobId = null, string? traceId = null, CancellationToken cancellationToken = default)
    {
        var message = _envelopes.Create(connection.SessionId, payload, jobId, traceId: traceId);
        var ordering = payload is SessionError or SessionPong ? FrameOrdering.Unordered : FrameOrdering.WithEvents;
        return connection.Output.SendControlAsync(message.ToUtf8Bytes(), ordering, cancellationToken);
    }

    /// <summary>Sends a <c>session.error</c>.</summary>
    public Task SendErrorAsync(SessionConnection connection, ProtocolError error, CancellationToken cancellationToken) =>
        SendAsync(connection, error.ToSessionError(), cancellationToken: cancellationToken).AsTask();

    [LoggerMessage(EventId = 2201, Level = LogLevel.Error, Message = "Handling {MessageType} in session {SessionId} failed (correlation {CorrelationId})")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string messageType, string sessionId, string correlationId);
}

using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Ids;
using Arcp.Protocol.Messages;
using Arcp.Protocol.Parsing;
using Arcp.Runtime.Sessions.Handlers;
using Arcp.Runtime.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Arcp.Runtime.Sessions;

/// <summary>
/// The entry of every inbound ARCP message of a session (§6, §7), for both transports: applies the checks all
/// messages share (inbound rate, parse and frame size, replayed ids, "say <c>session.hello</c> first") and routes the
/// message to the one handler of its type (<c>Sessions/Handlers</c>). Each decision is read from and written to
/// storage, so any node can serve any message; the <see cref="SessionConnection"/> only caches what the welcome
/// established. Bad input is answered with a <c>session.error</c> and the connection keeps working.
/// </summary>
public sealed partial class SessionService
{
    private readonly Dictionary<Type, IMessageHandler> _handlers = [];
    private readonly SessionSender _sender;
    private readonly SessionDetacher _detacher;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<SessionService> _logger;
    private readonly IdGenerator _ids;
    private readonly ArcpParserOptions _parserOptions;

    internal SessionService(IEnumerable<IMessageHandler> handlers, SessionSender sender, SessionDetacher detacher, TimeProvider timeProvider, IOptions<ArcpSessionOptions> options, ILogger<SessionService> logger)
    {
        foreach (var handler in handlers)
        {
            foreach (var type in handler.PayloadTypes)
            {
                if (!_handlers.TryAdd(type, handler))
                {
                    throw new InvalidOperationException($"Two handlers for {type.Name}: {_handlers[type].GetType().Name} and {handler.GetType().Name}.");
                }
            }
        }

        _sender = sender;
        _detacher = detacher;
        _timeProvider = timeProvider;
        _logger = logger;
        _ids = new IdGenerator(timeProvider);
        Options = options.Value;
        _parserOptions = new ArcpParserOptions { MaxFrameBytes = Options.MaxFrameBytes };
    }

    /// <summary>Session options in effect.</summary>
    public ArcpSessionOptions Options { get; }

    /// <summary>Creates the per-connection state for a new transport connection.</summary>
    /// <param name="connectionId">The transport's id for the connection.</param>
    /// <param name="output">Where frames for the client go.</param>
    /// <param name="secureTransport">False for an unencrypted connection from another machine: no credentials are offered on it.</param>
    public SessionConnection Open(string connectionId, ISessionOutput output, bool secureTransport = true) =>
        new(connectionId, _ids.NewSessionId(), output, _timeProvider.GetUtcNow()) { IsSecureTransport = secureTransport };

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
        var connection = new SessionConnection(connectionId, _ids.NewSessionId(), output, _timeProvider.GetUtcNow()) { Guard = guard ?? new InboundGuard() };
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
        var now = _timeProvider.GetUtcNow();
        connection.LastInboundAt = now;
        if (!connection.TryAdmit(now, Options.MaxInboundPerSecond))
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
            LogHandlerFailed(_logger, ex, message.Type, connection.SessionId, correlation);
            await SendErrorAsync(connection, ProtocolError.WithDetails(ErrorCode.InternalError, "The runtime failed to handle the message.", ("correlation_id", correlation)) with { RequestId = message.Id }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The transport went away: the session is detached and stays resumable (see <see cref="SessionDetacher"/>).</summary>
    public Task DetachAsync(SessionConnection connection, CancellationToken cancellationToken) =>
        _detacher.DetachAsync(connection, cancellationToken);

    /// <summary>Sends a <c>session.error</c>.</summary>
    public Task SendErrorAsync(SessionConnection connection, ProtocolError error, CancellationToken cancellationToken) =>
        _sender.SendErrorAsync(connection, error, cancellationToken);

    private Task DispatchAsync(SessionConnection connection, ArcpMessage message, CancellationToken cancellationToken)
    {
        var handler = _handlers.GetValueOrDefault(message.Payload.GetType());
        if (!connection.IsOpen)
        {
            return handler is { Phase: not MessagePhase.Open }
                ? handler.HandleAsync(connection, message, cancellationToken)
                : SendErrorAsync(connection, new ProtocolError(ErrorCode.Unauthenticated, "Say session.hello first.") { RequestId = message.Id }, cancellationToken);
        }

        return handler switch
        {
            null => SendErrorAsync(connection, ProtocolError.WithDetails(ErrorCode.InvalidRequest, $"{message.Type} is not accepted from clients.", ("type", message.Type)) with { RequestId = message.Id }, cancellationToken),
            { Phase: MessagePhase.Handshake } => SendErrorAsync(connection, new ProtocolError(ErrorCode.InvalidRequest, "The session is already open.") { RequestId = message.Id }, cancellationToken),
            _ => handler.HandleAsync(connection, message, cancellationToken),
        };
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Error, Message = "Handling {MessageType} in session {SessionId} failed (correlation {CorrelationId})")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string messageType, string sessionId, string correlationId);
}

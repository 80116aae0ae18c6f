using System.Net.WebSockets;
using Arcp.Client.Connection;
using Arcp.Client.Errors;
using Arcp.Client.Sessions;
using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Messages;
using Arcp.Protocol.Parsing;

namespace Arcp.Client;

public sealed partial class ArcpClient
{
    private const int MaxConsecutiveGapResumes = 3;
    private const int MaxExpiredRefusals = 3;

    /// <summary>Connects and completes the handshake (a fresh hello, or a resume of the current session).</summary>
    private async Task<WebSocketConnection> OpenAsync(bool resume, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        limit.CancelAfter(_options.ConnectTimeout);
        WebSocketConnection connection;
        Uri endpoint;
        try
        {
            endpoint = await EndpointResolver.ResolveAsync(_options.Url!, _options.Token, _options.ConnectTimeout, limit.Token).ConfigureAwait(false);
            connection = await WebSocketConnection.ConnectAsync(endpoint, _options.MaxFrameBytes, _options.ConnectTimeout, limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or InvalidDataException or System.Text.Json.JsonException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested && !_lifetime.IsCancellationRequested))
        {
            throw new ArcpConnectionException($"Cannot reach the ARCP runtime at {Redact(_options.Url!)}: {Describe(ex)}", ex);
        }

        try
        {
            var resumeRequest = resume ? new ResumeRequest(_session!.SessionId, _resumeToken, LastEventSeq: LastEventSeq) : null;
            var hello = new SessionHello(
                new ClientInfo(_options.ClientName, _options.ClientVersion),
                Auth: string.IsNullOrEmpty(_options.Token) ? null : new AuthInfo(AuthInfo.BearerScheme, _options.Token),
                Capabilities: new HelloCapabilities(["json"], _options.Features),
                Resume: resumeRequest);
            await connection.SendAsync(Frame(hello), limit.Token).ConfigureAwait(false);
            var (sessionId, welcome) = await AwaitWelcomeAsync(connection, limit.Token).ConfigureAwait(false);
            if (resume && sessionId != _session!.SessionId)
            {
                throw new ArcpConnectionException($"The runtime resumed session {sessionId} instead of {_session.SessionId}.");
            }

            List<PendingRequest> resend;
            lock (_gate)
            {
                _session = ArcpSessionInfo.From(sessionId, welcome);
                _resumeToken = welcome.ResumeToken;
                _connection = connection;
                _generation++;
                _ready = true;
                _lastInboundTicks = _time.GetTimestamp();
                resend = _pending.Where(p => p.SentGeneration != _generation).ToList();
                foreach (var request in resend)
                {
                    request.SentGeneration = _generation;
                }
            }

            if (!resume)
            {
                Log.SessionOpened(_logger, sessionId, endpoint.Authority, _session.Features);
            }

            foreach (var request in resend)
            {
                await TrySendAsync(connection, request.Frame).ConfigureAwait(false);
            }

            return connection;
        }
        catch (Exception ex)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            if (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested && !_lifetime.IsCancellationRequested)
            {
                throw new ArcpConnectionException($"The ARCP runtime at {Redact(_options.Url!)} did not answer session.hello in time.", ex);
            }

            if (ex is WebSocketException or InvalidDataException)
            {
                throw new ArcpConnectionException($"The connection to {Redact(_options.Url!)} failed during the handshake: {Describe(ex)}", ex);
            }

            throw;
        }
    }

    private async Task<(string SessionId, SessionWelcome Welcome)> AwaitWelcomeAsync(WebSocketConnection connection, CancellationToken cancellationToken)
    {
        while (true)
        {
            var frame = await connection.ReceiveAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new ArcpConnectionException("The runtime closed the connection during the handshake.");
            if (!ArcpParser.TryParse(frame.Span, _parserOptions, out var message, out _))
            {
                continue;
            }

            switch (message.Payload)
            {
                case SessionWelcome welcome when message.SessionId is { Length: > 0 } sessionId:
                    return (sessionId, welcome);
                case SessionError error:
                    throw ArcpErrorException.From(error);
                case SessionPing ping:
                    await connection.SendAsync(Frame(new SessionPong(ping.Nonce, _time.GetUtcNow())), cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    /// <summary>Runs the connection; on a drop resumes the session until it is closed or cannot be resumed.</summary>
    private async Task SuperviseAsync(WebSocketConnection connection)
    {
        var gapResumes = 0;
        while (true)
        {
            var (cause, gap) = await RunConnectionAsync(connection).ConfigureAwait(false);
            lock (_gate)
            {
                _ready = false;
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            if (_closing || _lifetime.IsCancellationRequested)
            {
                return;
            }

            gapResumes = gap ? gapResumes + 1 : 0;
            Log.ConnectionDropped(_logger, cause, _session!.SessionId, LastEventSeq);
            if (!_options.Reconnect.Enabled || gapResumes > MaxConsecutiveGapResumes)
            {
                Lose(new ArcpConnectionException(gap ? "The runtime keeps skipping events; giving up." : "The connection to the ARCP runtime was lost.", cause));
                return;
            }

            try
            {
                connection = await ReconnectAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Lose(ex);
                return;
            }
        }
    }

    private async Task<WebSocketConnection> ReconnectAsync()
    {
        Exception? last = null;
        var expiredRefusals = 0;
        var policy = _options.Reconnect;
        for (var attempt = 1; attempt <= policy.MaxAttempts; attempt++)
        {
            await Task.Delay(policy.DelayBefore(attempt), _time, _lifetime.Token).ConfigureAwait(false);
            try
            {
                var connection = await OpenAsync(resume: true, _lifetime.Token).ConfigureAwait(false);
                Log.SessionResumed(_logger, _session!.SessionId, LastEventSeq, attempt);
                return connection;
            }
            catch (ResumeWindowExpiredException ex) when (++expiredRefusals < MaxExpiredRefusals)
            {
                // A resume racing the runtime's own bookkeeping of the drop can be refused although the token is still
                // good; a token that is really spent is refused again.
                last = ex;
                Log.ReconnectFailed(_logger, ex, attempt, _session!.SessionId);
            }
            catch (ArcpErrorException ex) when (!ex.Retryable)
            {
                throw;
            }
            catch (Exception ex) when (ex is ArcpConnectionException or ArcpErrorException)
            {
                last = ex;
                Log.ReconnectFailed(_logger, ex, attempt, _session!.SessionId);
            }
        }

        throw new ArcpConnectionException($"Could not resume the session after {policy.MaxAttempts} attempts.", last);
    }

    /// <summary>Reads frames until the connection ends; returns why, and whether a gap in the events caused it.</summary>
    private async Task<(Exception? Cause, bool Gap)> RunConnectionAsync(WebSocketConnection connection)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        var maintenance = MaintainAsync(connection, stop.Token);
        try
        {
            while (true)
            {
                var frame = await connection.ReceiveAsync(_lifetime.Token).ConfigureAwait(false);
                if (frame is null)
                {
                    return (null, false);
                }

                Interlocked.Exchange(ref _lastInboundTicks, _time.GetTimestamp());
                if (!ArcpParser.TryParse(frame.Value.Span, _parserOptions, out var message, out var error))
                {
                    Log.UnreadableFrame(_logger, _session!.SessionId, error.Message);
                    continue;
                }

                if (!await DispatchAsync(connection, message).ConfigureAwait(false))
                {
                    connection.Abort();
                    return (null, true);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or InvalidDataException or OperationCanceledException or ObjectDisposedException)
        {
            return (ex, false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await maintenance.ConfigureAwait(false);
        }
    }

    /// <summary>Acknowledges delivered events (at most every <see cref="ArcpClientOptions.AckInterval"/>) and watches liveness.</summary>
    private async Task MaintainAsync(WebSocketConnection connection, CancellationToken cancellationToken)
    {
        var session = _session!;
        var ack = session.HasFeature("ack");
        var silenceLimit = session.HeartbeatInterval is { } interval ? interval * _options.HeartbeatToleranceIntervals : (TimeSpan?)null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(_options.AckInterval, _time, cancellationToken).ConfigureAwait(false);
                var last = LastEventSeq;
                if (ack && last > _ackedSeq)
                {
                    _ackedSeq = last;
                    await TrySendAsync(connection, Frame(new SessionAck(last))).ConfigureAwait(false);
                }

                var silence = _time.GetElapsedTime(Interlocked.Read(ref _lastInboundTicks));
                if (silenceLimit is { } limit && silence > limit)
                {
                    Log.HeartbeatLost(_logger, session.SessionId, silence);
                    connection.Abort();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The connection ended.
        }
    }

    private async Task TrySendAsync(WebSocketConnection connection, byte[] frame)
    {
        try
        {
            await connection.SendAsync(frame, _lifetime.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            Log.SendFailed(_logger, ex, _session?.SessionId ?? "-");
        }
    }

    /// <summary>The session cannot continue: every waiting request and unfinished job fails with <paramref name="error"/>.</summary>
    private void Lose(Exception error)
    {
        Log.SessionLost(_logger, error, _session?.SessionId ?? "-");
        FailAll(error);
    }

    private void FailAll(Exception error)
    {
        List<PendingRequest> pending;
        lock (_gate)
        {
            _fatal ??= error;
            _ready = false;
            pending = [.. _pending];
            _pending.Clear();
        }

        foreach (var request in pending)
        {
            request.Reply.TrySetException(_fatal);
        }

        foreach (var stream in _jobs.Values)
        {
            stream.Fail(_fatal);
        }
    }

    private static string Describe(Exception ex) => ex switch
    {
        OperationCanceledException => "timed out",
        WebSocketException { InnerException: { } inner } => inner.Message,
        HttpRequestException { InnerException: { } inner } => inner.Message,
        _ => ex.Message,
    };

    /// <summary>URLs may carry access tokens in their query: never show the query.</summary>
    private static string Redact(Uri uri) => uri.GetLeftPart(UriPartial.Path);
}

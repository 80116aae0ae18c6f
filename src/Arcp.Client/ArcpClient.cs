using System.Collections.Concurrent;
using Arcp.Client.Connection;
using Arcp.Client.Errors;
using Arcp.Client.Jobs;
using Arcp.Client.Sessions;
using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Ids;
using Arcp.Protocol.Parsing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Arcp.Client;

/// <summary>
/// An ARCP v1.1 session over WebSocket. Submits and observes jobs, lists them, answers runtime pings, acknowledges
/// events, and — when the connection drops — reconnects with backoff and resumes the session, so every job event
/// reaches the caller exactly once and in order. Thread-safe.
/// </summary>
public sealed partial class ArcpClient : IAsyncDisposable
{
    private readonly ArcpClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IdGenerator _ids;
    private readonly ArcpParserOptions _parserOptions;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Lock _gate = new();
    private readonly List<PendingRequest> _pending = [];
    private readonly ConcurrentDictionary<string, JobStream> _jobs = new(StringComparer.Ordinal);

    private ArcpSessionInfo? _session;
    private string? _resumeToken;
    private WebSocketConnection? _connection;
    private int _generation;
    private bool _ready;
    private Exception? _fatal;
    private Task _supervisor = Task.CompletedTask;
    private int _disposed;
    private volatile bool _closing;

    // Written by the receive loop only; read by the ack loop.
    private long _lastSeq;
    private long _ackedSeq;
    private long _lastInboundTicks;

    private ArcpClient(ArcpClientOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _time = options.TimeProvider;
        _ids = new IdGenerator(_time);
        _parserOptions = new ArcpParserOptions { MaxFrameBytes = options.MaxFrameBytes };
    }

    /// <summary>Gets what the welcome established (session id, features, agents); refreshed on resume.</summary>
    public ArcpSessionInfo Session => _session ?? throw new InvalidOperationException("The session is not open.");

    /// <summary>Gets the highest <c>event_seq</c> delivered so far.</summary>
    public long LastEventSeq => Interlocked.Read(ref _lastSeq);

    /// <summary>Gets whether a connection is currently up (false while resuming).</summary>
    public bool IsConnected
    {
        get
        {
            lock (_gate)
            {
                return _ready;
            }
        }
    }

    /// <summary>Connects, says <c>session.hello</c> and waits for the welcome.</summary>
    /// <exception cref="ArgumentException">The options are incomplete.</exception>
    /// <exception cref="ArcpConnectionException">The runtime could not be reached.</exception>
    /// <exception cref="ArcpErrorException">The runtime refused the hello (e.g. <c>UNAUTHENTICATED</c>).</exception>
    public static async Task<ArcpClient> ConnectAsync(ArcpClientOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var client = new ArcpClient(options, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ArcpClient>());
        try
        {
            var connection = await client.OpenAsync(resume: false, cancellationToken).ConfigureAwait(false);
            client._supervisor = Task.Run(() => client.SuperviseAsync(connection), CancellationToken.None);
            return client;
        }
        catch
        {
            client._lifetime.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Ends the session politely (<c>session.bye</c>), closes the connection and fails whatever is still waiting. Jobs
    /// keep running on the runtime.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _closing = true;
        WebSocketConnection? connection;
        lock (_gate)
        {
            connection = _ready ? _connection : null;
        }

        if (connection is not null)
        {
            await TrySendAsync(connection, Frame(new Protocol.Messages.SessionBye("client closed"))).ConfigureAwait(false);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await connection.CloseAsync(grace.Token).ConfigureAwait(false);
            await Task.WhenAny(_supervisor, Task.Delay(TimeSpan.FromSeconds(2), _time, CancellationToken.None)).ConfigureAwait(false);
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        lock (_gate)
        {
            _connection?.Abort();
        }

        await _supervisor.ConfigureAwait(false);
        FailAll(new ObjectDisposedException(nameof(ArcpClient), "The client was closed."));
        _lifetime.Dispose();
        if (_session is { } session)
        {
            Log.SessionClosed(_logger, session.SessionId);
        }
    }

    private byte[] Frame(ArcpPayload payload, string? jobId = null, string? traceId = null, string? id = null) =>
        new ArcpMessage(id ?? _ids.NewMessageId(), EnvelopeFactory.GetMessageType(payload), payload)
        {
            SessionId = _session?.SessionId,
            JobId = jobId,
            TraceId = traceId,
            Timestamp = _time.GetUtcNow(),
        }.ToUtf8Bytes();
}

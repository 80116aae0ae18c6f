using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Arcp.Testing;

/// <summary>A bare WebSocket ARCP client for tests: sends raw JSON, receives parsed envelopes.</summary>
public sealed class ArcpTestClient : IAsyncDisposable
{
    public static readonly string[] AllFeatures = ["heartbeat", "ack", "list_jobs", "subscribe", "lease_expires_at", "cost.budget", "progress", "result_chunk", "agent_versions"];

    private static int s_ids;
    private readonly ClientWebSocket _socket;

    private ArcpTestClient(ClientWebSocket socket) => _socket = socket;

    public WebSocketState State => _socket.State;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public static async Task<ArcpTestClient> ConnectAsync(Uri uri)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(uri, CancellationToken.None);
        return new ArcpTestClient(socket);
    }

    public static string NewId() => "msg_t" + Interlocked.Increment(ref s_ids).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Sends an envelope built from type and payload; returns its id. <paramref name="id"/> replaces the generated one
    /// and <paramref name="timestamp"/> adds a <c>timestamp</c>, for clients whose envelopes look that way.
    /// </summary>
    public async Task<string> SendAsync(string type, object? payload = null, string? sessionId = null, string? jobId = null, string? traceId = null, string? id = null, bool timestamp = false)
    {
        id ??= NewId();
        var envelope = new JsonObject
        {
            ["arcp"] = "1.1",
            ["id"] = id,
            ["type"] = type,
            ["payload"] = payload is null ? new JsonObject() : JsonSerializer.SerializeToNode(payload),
        };
        if (sessionId is not null)
        {
            envelope["session_id"] = sessionId;
        }

        if (jobId is not null)
        {
            envelope["job_id"] = jobId;
        }

        if (traceId is not null)
        {
            envelope["trace_id"] = traceId;
        }

        if (timestamp)
        {
            envelope["timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        }

        await SendRawAsync(envelope.ToJsonString());
        return id;
    }

    public Task SendRawAsync(string text) => SendRawAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendRawAsync(byte[] bytes, WebSocketMessageType type = WebSocketMessageType.Text) =>
        await _socket.SendAsync(bytes, type, endOfMessage: true, CancellationToken.None);

    /// <summary>The next envelope, or throws after <paramref name="timeout"/>; null when the server closed.</summary>
    public async Task<JsonElement?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var result = await _socket.ReceiveAsync(chunk, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            buffer.Write(chunk, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();
            }
        }
    }

    /// <summary>Receives until an envelope of <paramref name="type"/> arrives; returns it and everything before it.</summary>
    public async Task<(JsonElement Match, List<JsonElement> Before)> ReceiveUntilAsync(Func<JsonElement, bool> predicate, TimeSpan? timeout = null)
    {
        var before = new List<JsonElement>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var remaining = deadline - DateTime.UtcNow;
            var next = await ReceiveAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1)) ?? throw new InvalidOperationException("connection closed; before: " + string.Join("\n", before));
            if (predicate(next))
            {
                return (next, before);
            }

            before.Add(next);
        }
    }

    public Task<(JsonElement Match, List<JsonElement> Before)> ReceiveTypeAsync(string type, TimeSpan? timeout = null) =>
        ReceiveUntilAsync(e => e.GetProperty("type").GetString() == type, timeout);

    /// <summary>Receives until the terminal envelope of <paramref name="jobId"/>; returns every envelope seen.</summary>
    public async Task<List<JsonElement>> ReceiveThroughTerminalAsync(string jobId, TimeSpan? timeout = null)
    {
        var (terminal, before) = await ReceiveUntilAsync(e => e.GetProperty("type").GetString() is "job.result" or "job.error" && e.TryGetProperty("job_id", out var j) && j.GetString() == jobId, timeout);
        before.Add(terminal);
        return before;
    }

    public async Task<JsonElement> HelloAsync(string token, string[] features, object? resume = null)
    {
        await SendAsync("session.hello", new Dictionary<string, object?>
        {
            ["client"] = new { name = "test", version = "1.0" },
            ["auth"] = new { scheme = "bearer", token },
            ["capabilities"] = new { encodings = new[] { "json" }, features },
            ["resume"] = resume,
        }.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value));
        var reply = await ReceiveAsync() ?? throw new InvalidOperationException("closed");
        return reply;
    }

    /// <summary>Drops the TCP connection without a close handshake.</summary>
    public void Abort() => _socket.Abort();

    public async Task CloseAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}

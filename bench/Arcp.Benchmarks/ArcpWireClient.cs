using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Arcp.Benchmarks;

/// <summary>
/// A minimal ARCP client on a raw WebSocket, plain wire only (no SDK), so the same workload runs against this runtime
/// and against any other ARCP runtime: enough to measure, nothing more.
/// </summary>
internal sealed class ArcpWireClient : IAsyncDisposable
{
    /// <summary>The bearer token the benchmark configures on the hosts it starts.</summary>
    public const string DefaultToken = "bench-token";

    private readonly ClientWebSocket _socket = new();
    private readonly byte[] _buffer = new byte[1 << 20];
    private readonly string _token;
    private int _ids;

    private ArcpWireClient(string token) => _token = token;

    public static async Task<ArcpWireClient> ConnectAsync(Uri uri, string token = DefaultToken)
    {
        var client = new ArcpWireClient(token);
        await client._socket.ConnectAsync(uri, CancellationToken.None);
        return client;
    }

    public async Task<JsonElement> HelloAsync(object? resume)
    {
        var payload = new JsonObject
        {
            ["client"] = new JsonObject { ["name"] = "bench", ["version"] = "1" },
            ["auth"] = new JsonObject { ["scheme"] = "bearer", ["token"] = _token },
            ["capabilities"] = new JsonObject { ["features"] = new JsonArray("progress") },
        };
        if (resume is not null)
        {
            payload["resume"] = JsonSerializer.SerializeToNode(resume);
        }

        await SendAsync("session.hello", payload);
        return await ReceiveAsync();
    }

    public async Task<(double Accepted, double FirstEvent)> RunJobAsync(string agent, string input)
    {
        var watch = Stopwatch.StartNew();
        await SendAsync("job.submit", new JsonObject { ["agent"] = agent, ["input"] = JsonNode.Parse(input) });
        double accepted = 0, first = 0;
        while (true)
        {
            var frame = await ReceiveAsync();
            var type = frame.GetProperty("type").GetString();
            if (type == "job.accepted")
            {
                accepted = watch.Elapsed.TotalMilliseconds;
            }
            else if (first == 0 && frame.TryGetProperty("event_seq", out _))
            {
                first = watch.Elapsed.TotalMilliseconds - accepted;
            }

            if (IsTerminal(type))
            {
                return (accepted, first);
            }
        }
    }

    public static bool IsTerminal(string? type) => type is "job.result" or "job.error";

    public Task SendAsync(string type, object payload)
    {
        var envelope = new JsonObject { ["arcp"] = "1.1", ["id"] = "msg_b" + Interlocked.Increment(ref _ids), ["type"] = type, ["payload"] = JsonSerializer.SerializeToNode(payload) };
        return _socket.SendAsync(Encoding.UTF8.GetBytes(envelope.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
    }

    public async Task<JsonElement> ReceiveAsync()
    {
        var length = 0;
        while (true)
        {
            var result = await _socket.ReceiveAsync(new ArraySegment<byte>(_buffer, length, _buffer.Length - length), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"The server closed the session: {result.CloseStatus} {result.CloseStatusDescription}");
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return JsonDocument.Parse(_buffer.AsMemory(0, length)).RootElement.Clone();
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}

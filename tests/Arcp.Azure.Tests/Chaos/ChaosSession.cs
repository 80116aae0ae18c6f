using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Arcp.Testing;

namespace Arcp.Azure.Tests.Chaos;

/// <summary>A job one chaos session submits: its agent, input and idempotency key.</summary>
internal sealed record PlannedJob(string Key, string Agent, string InputJson, int Steps = 0);

/// <summary>
/// One client session of the chaos soak, on raw WebSockets: submits its planned jobs (re-sending a submit whose
/// answer it did not get, under the same idempotency key), drops its connection once and resumes on another host,
/// and records everything it receives so the soak can check the session's promises: <c>event_seq</c> gap-free across
/// connections, a redelivered seq only with identical content, one terminal per job.
/// </summary>
internal sealed class ChaosSession(string name, Func<int, Uri> hostFor, string token, Func<double> now)
{
    private static readonly string[] s_features = ["progress"];
    private static readonly TimeSpan s_resendAfter = TimeSpan.FromSeconds(20);
    private readonly Dictionary<long, string> _framesBySeq = [];
    private ArcpTestClient? _client;
    private Channel<JsonElement>? _inbox;
    private string? _resumeToken;
    private int _connections;

    public string Name => name;

    public string SessionId { get; private set; } = "";

    public long LastSeq { get; private set; }

    public ConcurrentDictionary<string, string> JobIds { get; } = new();

    /// <summary>Every job this session planned, by idempotency key.</summary>
    public Dictionary<string, PlannedJob> Planned { get; } = [];

    /// <summary>The <c>job.event</c> envelopes received, per job, in seq order (each seq once).</summary>
    public Dictionary<string, List<JsonElement>> EventsByJob { get; } = [];

    /// <summary>The terminal envelopes received, per job.</summary>
    public Dictionary<string, List<JsonElement>> TerminalsByJob { get; } = [];

    public List<string> Violations { get; } = [];

    /// <summary>Seqs delivered again with identical content (allowed).</summary>
    public int RedeliveredSeqs { get; private set; }

    public int Reconnects => _connections - 1;

    /// <summary>When (seconds on the soak's clock) each envelope arrived: the recovery-time figure reads it.</summary>
    public List<double> ArrivalTimes { get; } = [];

    /// <summary>Opens the session on a host.</summary>
    public Task ConnectAsync(TimeSpan timeout) => ConnectOrResumeAsync(timeout);

    /// <summary>Submits every planned job and waits for all terminals; drops the connection once at <paramref name="dropAt"/>.</summary>
    public async Task RunAsync(IReadOnlyList<PlannedJob> plan, TimeSpan dropAt, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var queue = new Queue<PlannedJob>(plan);
        foreach (var job in plan)
        {
            Planned[job.Key] = job;
        }

        PlannedJob? inflight = null;
        var inflightSince = TimeSpan.Zero;
        var dropped = false;
        while (queue.Count > 0 || inflight is not null || JobIds.Values.Any(id => !TerminalsByJob.ContainsKey(id)))
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{name}: not finished after {timeout}: {Describe()}");
            }

            if (!dropped && clock.Elapsed >= dropAt)
            {
                dropped = true;
                _client!.Abort();
            }

            if (inflight is null && queue.TryDequeue(out var next))
            {
                inflight = next;
                inflightSince = clock.Elapsed;
                await SubmitAsync(next);
            }
            else if (inflight is not null && clock.Elapsed - inflightSince > s_resendAfter)
            {
                inflightSince = clock.Elapsed;
                await SubmitAsync(inflight);
            }

            var envelope = await NextAsync(TimeSpan.FromMilliseconds(500));
            if (envelope is null)
            {
                if (_inbox!.Reader.Completion.IsCompleted)
                {
                    // The connection ended (dropped by us, closed by the host, or the host died): resume elsewhere and
                    // send again whatever submit was not answered.
                    await ConnectOrResumeAsync(TimeSpan.FromSeconds(120));
                    if (inflight is not null)
                    {
                        inflightSince = clock.Elapsed;
                        await SubmitAsync(inflight);
                    }
                }

                continue;
            }

            var type = envelope.Value.GetProperty("type").GetString();
            if (type == "job.accepted" && inflight is not null)
            {
                JobIds[inflight.Key] = envelope.Value.GetProperty("job_id").GetString()!;
                inflight = null;
            }
            else if (type is "session.error" or "job.error" && !envelope.Value.TryGetProperty("event_seq", out _) && inflight is not null)
            {
                // The submit was refused (say, storage unavailable): the same key is sent again shortly.
                inflightSince = clock.Elapsed - s_resendAfter + TimeSpan.FromSeconds(1);
            }
        }
    }

    /// <summary>Submits an <c>echo</c> job and waits for its result: how long a fresh job takes after the storm.</summary>
    public async Task<TimeSpan> EchoAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        await RunAsync([new PlannedJob($"{name}-after", "echo", "\"after the storm\"")], TimeSpan.MaxValue, timeout);
        return clock.Elapsed;
    }

    public async Task CloseAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }
    }

    private async Task SubmitAsync(PlannedJob job)
    {
        try
        {
            await _client!.SendAsync("job.submit", new Dictionary<string, object>
            {
                ["agent"] = job.Agent,
                ["input"] = JsonDocument.Parse(job.InputJson).RootElement.Clone(),
                ["idempotency_key"] = job.Key,
            }, sessionId: SessionId);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection is gone; the receive side notices and the submit is sent again after the resume.
        }
    }

    private async Task<JsonElement?> NextAsync(TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            var envelope = await _inbox!.Reader.ReadAsync(timeout.Token);
            Record(envelope);
            return envelope;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    private void Record(JsonElement envelope)
    {
        ArrivalTimes.Add(now());
        if (!envelope.TryGetProperty("event_seq", out var seqProperty))
        {
            return;
        }

        var seq = seqProperty.GetInt64();
        var payload = envelope.GetProperty("payload").GetRawText();
        if (seq <= LastSeq)
        {
            if (_framesBySeq.TryGetValue(seq, out var earlier) && earlier == payload)
            {
                RedeliveredSeqs++;
            }
            else
            {
                Violations.Add($"{name}: seq {seq} delivered again with different content");
            }

            return;
        }

        if (seq != LastSeq + 1)
        {
            Violations.Add($"{name}: seq jumped from {LastSeq} to {seq}");
        }

        LastSeq = seq;
        _framesBySeq[seq] = payload;
        var jobId = envelope.GetProperty("job_id").GetString()!;
        var type = envelope.GetProperty("type").GetString();
        var bucket = type == "job.event" ? EventsByJob : TerminalsByJob;
        if (!bucket.TryGetValue(jobId, out var list))
        {
            bucket[jobId] = list = [];
        }

        list.Add(envelope.Clone());
    }

    private async Task ConnectOrResumeAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var lastFailure = "";
        for (var attempt = 0; ; attempt++)
        {
            var host = hostFor(_connections + attempt);
            try
            {
                if (_client is not null)
                {
                    await _client.DisposeAsync();
                }

                _client = await ArcpTestClient.ConnectAsync(new UriBuilder(host) { Scheme = "ws", Path = "/arcp" }.Uri);
                object? resume = SessionId.Length == 0 ? null : new { session_id = SessionId, resume_token = _resumeToken, last_event_seq = LastSeq };
                var reply = await _client.HelloAsync(token, s_features, resume);
                if (reply.GetProperty("type").GetString() == "session.welcome")
                {
                    SessionId = reply.GetProperty("session_id").GetString()!;
                    _resumeToken = reply.GetProperty("payload").GetProperty("resume_token").GetString();
                    _connections++;
                    StartReceiving(_client);
                    return;
                }

                lastFailure = reply.GetRawText();
                if (lastFailure.Contains("RESUME_WINDOW_EXPIRED", StringComparison.Ordinal))
                {
                    Violations.Add($"{name}: resume refused: {reply.GetRawText()}");
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or InvalidOperationException or JsonException or HttpRequestException)
            {
                // The host is paused, restarting or its storage is out: try again, on the other host.
                lastFailure = ex.GetType().Name + ": " + ex.Message;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{name}: could not open or resume the session within {timeout} ({lastFailure}): {Describe()}");
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    private void StartReceiving(ArcpTestClient client)
    {
        var inbox = Channel.CreateUnbounded<JsonElement>();
        _inbox = inbox;
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var envelope = await client.ReceiveAsync(TimeSpan.FromMinutes(10));
                    if (envelope is null)
                    {
                        break;
                    }

                    await inbox.Writer.WriteAsync(envelope.Value);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or JsonException)
            {
                // Dropped: the session resumes.
            }
            finally
            {
                inbox.Writer.TryComplete();
            }
        });
    }

    private string Describe() =>
        $"session {SessionId}, last seq {LastSeq}, jobs {string.Join(", ", JobIds.Select(kv => $"{kv.Key}={kv.Value}:{(TerminalsByJob.ContainsKey(kv.Value) ? "ended" : "running")}"))}";
}

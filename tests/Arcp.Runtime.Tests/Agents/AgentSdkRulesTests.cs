using System.Text.Json;
using Arcp.Protocol.Errors;
using Arcp.Agents.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Runtime.Tests.Agents;

/// <summary>The rules the agent SDK enforces on what an agent emits (§8.2.1 progress, §8.4 streamed results, §14 chunk size).</summary>
public sealed class AgentSdkRulesTests : IAsyncLifetime
{
    private static readonly byte[] s_binary = RandomBytes(2_500_000 + 17);

    private readonly RuntimeHarness _runtime = new(services =>
    {
        services.AddArcpAgent<BadProgressAgent>("bad-progress", "1.0.0", isDefault: true);
        services.AddArcpAgent<BinaryAgent>("binary", "1.0.0", isDefault: true);
        services.AddArcpAgent<OneBigStringAgent>("big-string", "1.0.0", isDefault: true);
        services.AddArcpAgent<StreamAndReturnAgent>("stream-and-return", "1.0.0", isDefault: true);
        services.AddArcpAgent<SpendThenDelegateAgent>("spender", "1.0.0", isDefault: true);
        services.AddArcpAgent<LateOperationAgent>("late", "1.0.0", isDefault: true);
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    [Fact]
    public async Task Progress_NegativeOrAboveTotal_RefusedWithInvalidRequestAndNeverEmitted()
    {
        var session = await _runtime.OpenSessionAsync("alice", "progress");

        var accepted = await _runtime.SubmitAsync(session, "bad-progress");
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);
        var envelopes = await _runtime.ReadEnvelopesAsync(session);

        var result = envelopes[^1].GetProperty("payload").GetProperty("result");
        Assert.Equal(["INVALID_REQUEST", "INVALID_REQUEST"], result.EnumerateArray().Select(c => c.GetString()));
        var progress = Assert.Single(RuntimeHarness.EventBodies(envelopes, "progress"));
        Assert.Equal(4, progress.GetProperty("current").GetDouble());
        Assert.Equal(4, progress.GetProperty("total").GetDouble());
    }

    [Fact]
    public async Task BinaryResult_Base64ChunksOfAtMostOneMiB_ReassembleToTheBytes()
    {
        var session = await _runtime.OpenSessionAsync("alice", "result_chunk");

        var accepted = await _runtime.SubmitAsync(session, "binary");
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);
        var envelopes = await _runtime.ReadEnvelopesAsync(session);

        var chunks = RuntimeHarness.EventBodies(envelopes, "result_chunk");
        Assert.All(chunks, c => Assert.Equal("base64", c.GetProperty("encoding").GetString()));
        var decoded = chunks.Select(c => Convert.FromBase64String(c.GetProperty("data").GetString()!)).ToList();
        Assert.All(decoded, d => Assert.InRange(d.Length, 1, JobContext.MaxChunkBytes));
        Assert.Equal(s_binary, decoded.SelectMany(d => d).ToArray());
        Assert.Equal(s_binary.Length, envelopes[^1].GetProperty("payload").GetProperty("result_size").GetInt64());
    }

    [Fact]
    public async Task TextResult_OneStringAboveTheChunkCap_SplitIntoChunksOfAtMostOneMiB()
    {
        var session = await _runtime.OpenSessionAsync("alice", "result_chunk");

        var accepted = await _runtime.SubmitAsync(session, "big-string");
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);
        var envelopes = await _runtime.ReadEnvelopesAsync(session);

        var chunks = RuntimeHarness.EventBodies(envelopes, "result_chunk").Select(c => c.GetProperty("data").GetString()!).ToList();
        Assert.Equal(3, chunks.Count);
        Assert.All(chunks, c => Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(c), 1, JobContext.MaxChunkBytes));
        Assert.Equal(OneBigStringAgent.Text, string.Concat(chunks));
    }

    [Fact]
    public async Task StreamedThenReturnedInline_JobErrorInternalErrorAndNoResult()
    {
        var session = await _runtime.OpenSessionAsync("alice", "result_chunk");

        var accepted = await _runtime.SubmitAsync(session, "stream-and-return");
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);
        var envelopes = await _runtime.ReadEnvelopesAsync(session);

        Assert.Equal("job.error", envelopes[^1].GetProperty("type").GetString());
        Assert.Equal("INTERNAL_ERROR", envelopes[^1].GetProperty("payload").GetProperty("code").GetString());
        Assert.DoesNotContain(envelopes, e => e.GetProperty("type").GetString() == "job.result");
    }

    [Fact]
    public async Task Budget_ChildGetsAtMostWhatIsLeft_AndAnEmptyBudgetGatesEverythingButModelUse()
    {
        var session = await _runtime.OpenSessionAsync("alice", "progress", "cost.budget");
        var lease = new Dictionary<string, IReadOnlyList<string>>
        {
            ["agent.delegate"] = ["echo"],
            ["cost.budget"] = ["USD:5.00"],
            ["fs.read"] = ["/data/**"],
            ["net.fetch"] = ["https://example.test/**"],
            ["model.use"] = ["tier-fast/*"],
        };

        var accepted = await _runtime.SubmitAsync(session, "spender", shape: s => s with { LeaseRequest = lease });
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);
        // The delegated child runs in the same session and may end after its parent: pick the parent's result.
        var result = (await _runtime.ReadEnvelopesAsync(session))
            .Single(e => e.GetProperty("type").GetString() == "job.result" && e.GetProperty("job_id").GetString() == accepted.Payload.JobId)
            .GetProperty("payload").GetProperty("result");

        // 3.00 of 5.00 spent: 2.50 is more than is left, 2.00 is within it (§9.4, §10).
        Assert.Equal("LEASE_SUBSET_VIOLATION", result.GetProperty("child_above_remaining").GetString());
        Assert.Equal("accepted", result.GetProperty("child_within_remaining").GetString());

        // The remaining 2.00 spent: every operation through the lease is refused, model selection is not (§9.6).
        Assert.Equal("BUDGET_EXHAUSTED", result.GetProperty("agent.delegate").GetString());
        Assert.Equal("BUDGET_EXHAUSTED", result.GetProperty("fs.read").GetString());
        Assert.Equal("BUDGET_EXHAUSTED", result.GetProperty("net.fetch").GetString());
        Assert.Equal("allowed", result.GetProperty("model.use").GetString());
    }

    [Fact]
    public async Task LeaseExpired_OperationsAtOrAfterExpiry_RefusedLeaseExpiredBeforeAnyOtherCheck()
    {
        var session = await _runtime.OpenSessionAsync("alice", "progress");
        var expires = DateTimeOffset.UtcNow.AddSeconds(1).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        var lease = new Dictionary<string, IReadOnlyList<string>> { ["tool.call"] = ["search.*"] };

        var accepted = await _runtime.SubmitAsync(session, "late", shape: s => s with { LeaseRequest = lease, LeaseConstraints = new Arcp.Protocol.Leases.LeaseConstraints(expires) });
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);

        // Before expiry the call is allowed; after it, both a granted and an ungranted target get LEASE_EXPIRED (§9.5,
        // expiry checked first), non-retryable; the job itself ends LEASE_EXPIRED.
        Assert.Equal(["allowed", "LEASE_EXPIRED:False", "LEASE_EXPIRED:False"], LateOperationAgent.Seen[accepted.Payload.JobId]);
        var envelopes = await _runtime.ReadEnvelopesAsync(session);
        var terminal = envelopes.Where(e => e.TryGetProperty("job_id", out var id) && id.GetString() == accepted.Payload.JobId).Last();
        Assert.True(terminal.GetProperty("type").GetString() == "job.error", string.Join(", ", envelopes.Select(e => e.GetProperty("type").GetString() + (e.GetProperty("payload").TryGetProperty("kind", out var k) ? "/" + k.GetString() : ""))));
        Assert.Equal("LEASE_EXPIRED", terminal.GetProperty("payload").GetProperty("code").GetString());
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(42).NextBytes(bytes);
        return bytes;
    }

    private static async IAsyncEnumerable<T> Yield<T>(params T[] items)
    {
        foreach (var item in items)
        {
            await Task.Yield();
            yield return item;
        }
    }

    /// <summary>Spends, delegates above and within what is left, spends the rest, then probes the lease; returns what happened.</summary>
    private sealed class SpendThenDelegateAgent : IAgent
    {
        public async Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken)
        {
            var outcome = new Dictionary<string, string>();
            await context.ReportCostAsync(3.00m, "USD");
            outcome["child_above_remaining"] = await TryDelegateAsync(context, "USD:2.50");
            outcome["child_within_remaining"] = await TryDelegateAsync(context, "USD:2.00");
            await context.ReportCostAsync(2.00m, "USD");
            foreach (var (capability, target) in new[] { ("agent.delegate", "echo"), ("fs.read", "/data/a.txt"), ("net.fetch", "https://example.test/x"), ("model.use", "tier-fast/small") })
            {
                try
                {
                    context.Authorize(capability, target);
                    outcome[capability] = "allowed";
                }
                catch (ArcpException ex)
                {
                    outcome[capability] = ErrorCodes.ToWireName(ex.Code);
                }
            }

            return JsonSerializer.SerializeToElement(outcome);
        }

        private static async Task<string> TryDelegateAsync(JobContext context, string budget)
        {
            try
            {
                await context.DelegateAsync("echo", leaseRequest: new Dictionary<string, IReadOnlyList<string>> { ["cost.budget"] = [budget] });
                return "accepted";
            }
            catch (ArcpException ex)
            {
                return ErrorCodes.ToWireName(ex.Code);
            }
        }
    }

    /// <summary>Calls a tool before its lease expires and twice after (ignoring the stop signal meanwhile).</summary>
    private sealed class LateOperationAgent : IAgent
    {
        public static System.Collections.Concurrent.ConcurrentDictionary<string, List<string>> Seen { get; } = new();

        public async Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken)
        {
            var seen = Seen.GetOrAdd(context.JobId, _ => []);
            seen.Add(Try(context, "search.web"));
            await Task.Delay(TimeSpan.FromSeconds(1.5), CancellationToken.None);
            seen.Add(Try(context, "search.web"));
            seen.Add(Try(context, "shell.exec"));
            return null;
        }

        private static string Try(JobContext context, string tool)
        {
            try
            {
                context.Authorize("tool.call", tool);
                return "allowed";
            }
            catch (ArcpException ex)
            {
                return $"{ErrorCodes.ToWireName(ex.Code)}:{ex.Error.Retryable}";
            }
        }
    }

    /// <summary>Tries two invalid progress events, then a valid one; returns the codes it was refused with.</summary>
    private sealed class BadProgressAgent : IAgent
    {
        public async Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken)
        {
            var codes = new List<string>();
            foreach (var (current, total) in new (double, double?)[] { (-1, null), (5, 4) })
            {
                try
                {
                    await context.ProgressAsync(current, total);
                }
                catch (ArcpException ex)
                {
                    codes.Add(ErrorCodes.ToWireName(ex.Code));
                }
            }

            await context.ProgressAsync(4, 4);
            return JsonSerializer.SerializeToElement(codes);
        }
    }

    /// <summary>Streams 2.5 MB of bytes in uneven pieces (one above the chunk cap).</summary>
    private sealed class BinaryAgent : IAgent
    {
        public async Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken)
        {
            ReadOnlyMemory<byte> memory = s_binary;
            await context.StreamBinaryResultAsync(Yield(memory[..700_000], memory[700_000..2_000_000], memory[2_000_000..]));
            return null;
        }
    }

    /// <summary>Streams one 2.5 MiB string.</summary>
    private sealed class OneBigStringAgent : IAgent
    {
        public static readonly string Text = string.Concat(Enumerable.Range(0, 2_621_440 / 8).Select(i => (i % 100_000).ToString("D7", System.Globalization.CultureInfo.InvariantCulture) + "\n"));

        public async Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken)
        {
            await context.StreamTextResultAsync(Yield(Text));
            return null;
        }
    }

    /// <summary>Streams a result and then also returns one: a contract violation.</summary>
    private sealed class StreamAndReturnAgent : IAgent
    {
        public async Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken)
        {
            await context.StreamTextResultAsync(Yield("part one"));
            return JsonSerializer.SerializeToElement("inline too");
        }
    }
}

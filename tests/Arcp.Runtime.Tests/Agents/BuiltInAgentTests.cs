using System.Text;
using System.Text.Json;
using Arcp.Agents;
using Arcp.Protocol.Leases;
using Arcp.Protocol.Messages;

namespace Arcp.Runtime.Tests.Agents;

/// <summary>Leases, budgets, models, streamed results and delegation, exercised by the built-in agents end to end.</summary>
public sealed class BuiltInAgentTests : IAsyncLifetime
{
    private readonly RuntimeHarness _runtime = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    private static Func<JobSubmit, JobSubmit> Lease(Dictionary<string, IReadOnlyList<string>> lease, string? expiresAt = null) =>
        s => s with { LeaseRequest = lease, LeaseConstraints = expiresAt is null ? null : new LeaseConstraints(expiresAt) };

    [Fact]
    public async Task Research_BudgetRunsOut_LaterCallsRefusedNonFatallyAndCountersDecrement()
    {
        var session = await _runtime.OpenSessionAsync();
        var lease = new Dictionary<string, IReadOnlyList<string>> { ["tool.call"] = ["search.*"], ["model.use"] = ["tier-fast/*"], ["cost.budget"] = ["USD:1.00"] };

        var accepted = await _runtime.SubmitAsync(session, "research", """{"tools":["search.web","search.news","search.docs","search.code"],"cost_per_call":0.5}""", shape: Lease(lease));
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);
        var envelopes = await _runtime.ReadEnvelopesAsync(session);
        var state = await _runtime.JobStore.GetAsync(accepted.Payload.JobId, default);

        var results = RuntimeHarness.EventBodies(envelopes, "tool_result");
        Assert.Equal(2, results.Count(r => r.TryGetProperty("result", out _)));
        var refusals = results.Where(r => r.TryGetProperty("error", out _)).Select(r => r.GetProperty("error")).ToList();
        Assert.Equal(2, refusals.Count);
        Assert.All(refusals, e => Assert.Equal("BUDGET_EXHAUSTED", e.GetProperty("code").GetString()));
        Assert.All(refusals, e => Assert.False(e.GetProperty("retryable").GetBoolean()));
        Assert.Contains(RuntimeHarness.EventBodies(envelopes, "metric"), m => m.GetProperty("name").GetString() == "cost.budget.remaining" && m.GetProperty("value").GetDecimal() == 0m);
        Assert.Equal(JobStatus.Success, state!.Status);
        Assert.Equal(0m, state.Budget["USD"]);
        Assert.Equal(2, envelopes[^1].GetProperty("payload").GetProperty("result").GetProperty("answered").GetInt32());
    }

    [Fact]
    public async Task Research_NegativeCost_ForwardedButNoDecrement()
    {
        var session = await _runtime.OpenSessionAsync();
        var lease = new Dictionary<string, IReadOnlyList<string>> { ["tool.call"] = ["search.*"], ["model.use"] = ["tier-fast/*"], ["cost.budget"] = ["USD:1.00"] };

        var accepted = await _runtime.SubmitAsync(session, "research", """{"tools":["search.web"],"cost_per_call":-1}""", shape: Lease(lease));
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);

        var metrics = RuntimeHarness.EventBodies(await _runtime.ReadEnvelopesAsync(session), "metric");
        Assert.Contains(metrics, m => m.GetProperty("name").GetString() == "cost.tool" && m.GetProperty("value").GetDecimal() == -1m);
        Assert.Equal(1.00m, (await _runtime.JobStore.GetAsync(accepted.Payload.JobId, default))!.Budget["USD"]);
    }

    [Fact]
    public async Task Research_ModelOutsideModelUse_JobEndsPermissionDenied()
    {
        var session = await _runtime.OpenSessionAsync();
        var lease = new Dictionary<string, IReadOnlyList<string>> { ["tool.call"] = ["search.*"], ["model.use"] = ["tier-fast/*"] };

        var accepted = await _runtime.SubmitAsync(session, "research", """{"model":"tier-premium/huge"}""", shape: Lease(lease));
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);

        var terminal = (await _runtime.ReadEnvelopesAsync(session))[^1].GetProperty("payload");
        Assert.Equal("PERMISSION_DENIED", terminal.GetProperty("code").GetString());
        Assert.Equal("error", terminal.GetProperty("final_status").GetString());
    }

    [Fact]
    public async Task Research_ToolOutsideLeaseOrNamespaceAbsent_ToolResultPermissionDenied()
    {
        var session = await _runtime.OpenSessionAsync();
        var lease = new Dictionary<string, IReadOnlyList<string>> { ["tool.call"] = ["search.web"], ["model.use"] = ["tier-fast/*"] };

        var accepted = await _runtime.SubmitAsync(session, "research", """{"tools":["search.web","shell.exec"]}""", shape: Lease(lease));
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);

        var results = RuntimeHarness.EventBodies(await _runtime.ReadEnvelopesAsync(session), "tool_result");
        Assert.True(results[0].TryGetProperty("result", out _));
        Assert.Equal("PERMISSION_DENIED", results[1].GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Report_StreamedResult_ChunksInOrderAndReassembleToTheReport()
    {
        var session = await _runtime.OpenSessionAsync();

        var accepted = await _runtime.SubmitAsync(session, "report", """{"size_kb":200}""");
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);
        var envelopes = await _runtime.ReadEnvelopesAsync(session);

        var chunks = RuntimeHarness.EventBodies(envelopes, "result_chunk");
        var result = envelopes[^1].GetProperty("payload");
        Assert.Equal(Enumerable.Range(0, chunks.Count).Select(i => (long)i), chunks.Select(c => c.GetProperty("chunk_seq").GetInt64()));
        Assert.All(chunks.SkipLast(1), c => Assert.True(c.GetProperty("more").GetBoolean()));
        Assert.False(chunks[^1].GetProperty("more").GetBoolean());
        Assert.All(chunks, c => Assert.Equal("utf8", c.GetProperty("encoding").GetString()));
        Assert.All(chunks, c => Assert.Equal(result.GetProperty("result_id").GetString(), c.GetProperty("result_id").GetString()));
        Assert.False(result.TryGetProperty("result", out _));
        Assert.Equal(200 * 1024, result.GetProperty("result_size").GetInt64());
        var assembled = string.Concat(chunks.Select(c => c.GetProperty("data").GetString()));
        Assert.Equal(ReportAgent.Content(0, 200 * 1024), assembled);
    }

    [Fact]
    public async Task Report_WithoutResultChunkFeature_FailsInsteadOfSendingUnnegotiatedChunks()
    {
        var session = await _runtime.OpenSessionAsync("alice", "progress");

        var accepted = await _runtime.SubmitAsync(session, "report", """{"size_kb":1}""");
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);

        var envelopes = await _runtime.ReadEnvelopesAsync(session);
        Assert.Empty(RuntimeHarness.EventBodies(envelopes, "result_chunk"));
        Assert.Equal("INVALID_REQUEST", envelopes[^1].GetProperty("payload").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Delegator_ChildLeaseWithinParent_ChildRunsAndDelegateEventNamesIt()
    {
        var session = await _runtime.OpenSessionAsync();
        var parentLease = new Dictionary<string, IReadOnlyList<string>> { ["agent.delegate"] = ["echo"], ["tool.call"] = ["search.**"], ["cost.budget"] = ["USD:5.00"] };

        var accepted = await _runtime.SubmitAsync(session, "delegator", """{"children":2,"agent":"echo","lease_request":{"tool.call":["search.web"],"cost.budget":["USD:1.00"]}}""", shape: Lease(parentLease, DateTimeOffset.UtcNow.AddMinutes(30).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture)));
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);
        var envelopes = await _runtime.ReadEnvelopesAsync(session);

        var delegates = RuntimeHarness.EventBodies(envelopes, "delegate");
        Assert.Equal(2, delegates.Count);
        foreach (var childId in delegates.Select(d => d.GetProperty("child_job_id").GetString()!))
        {
            await _runtime.WaitForEndAsync(childId);
            var child = await _runtime.JobStore.GetAsync(childId, default);
            Assert.Equal(accepted.Payload.JobId, child!.Definition.ParentJobId);
            Assert.Equal(accepted.Payload.TraceId, child.Definition.TraceId);
            Assert.Equal((await _runtime.JobStore.GetAsync(accepted.Payload.JobId, default))!.Definition.ExpiresAt, child.Definition.ExpiresAt);
            Assert.Equal(JobStatus.Success, child.Status);
        }
    }

    [Theory]
    [InlineData("""{"tool.call":["shell.*"]}""")]
    [InlineData("""{"cost.budget":["USD:9.00"]}""")]
    [InlineData("""{"tool.call":["search.web"],"model.use":["tier-fast/*"]}""")]
    public async Task Delegator_ChildLeaseWiderThanParent_LeaseSubsetViolation(string childLease)
    {
        var session = await _runtime.OpenSessionAsync();
        var parentLease = new Dictionary<string, IReadOnlyList<string>> { ["agent.delegate"] = ["echo"], ["tool.call"] = ["search.**"], ["cost.budget"] = ["USD:5.00"] };

        var accepted = await _runtime.SubmitAsync(session, "delegator", $$$"""{"children":1,"agent":"echo","lease_request":{{{childLease}}}}""", shape: Lease(parentLease));
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);

        var result = (await _runtime.ReadEnvelopesAsync(session))[^1].GetProperty("payload").GetProperty("result");
        Assert.Empty(result.GetProperty("children").EnumerateArray());
        Assert.Equal(["LEASE_SUBSET_VIOLATION"], result.GetProperty("refused").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task Delegator_ChildExpiryAfterParents_Refused()
    {
        var session = await _runtime.OpenSessionAsync();
        var parentLease = new Dictionary<string, IReadOnlyList<string>> { ["agent.delegate"] = ["echo"] };
        var soon = DateTimeOffset.UtcNow.AddMinutes(10).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        var later = DateTimeOffset.UtcNow.AddMinutes(20).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);

        var accepted = await _runtime.SubmitAsync(session, "delegator", $$$"""{"children":1,"agent":"echo","expires_at":"{{{later}}}"}""", shape: Lease(parentLease, soon));
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);

        var result = (await _runtime.ReadEnvelopesAsync(session))[^1].GetProperty("payload").GetProperty("result");
        Assert.Equal(["LEASE_SUBSET_VIOLATION"], result.GetProperty("refused").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task Delegator_AgentNotInAgentDelegate_DelegationPermissionDenied()
    {
        var session = await _runtime.OpenSessionAsync();

        var accepted = await _runtime.SubmitAsync(session, "delegator", """{"children":1,"agent":"echo"}""");
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);

        var result = (await _runtime.ReadEnvelopesAsync(session))[^1].GetProperty("payload").GetProperty("result");
        Assert.Equal(["PERMISSION_DENIED"], result.GetProperty("refused").EnumerateArray().Select(c => c.GetString()));
    }
}

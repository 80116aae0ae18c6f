using System.Text.Json;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Leases;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;

namespace Arcp.Runtime.Tests.Jobs;

public sealed class JobLifecycleTests : IAsyncLifetime
{
    private readonly RuntimeHarness _runtime = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    [Fact]
    public async Task Submit_Echo_AcceptedThenResultWithInputAtSeq1()
    {
        var session = await _runtime.OpenSessionAsync();

        var accepted = await _runtime.SubmitAsync(session, "echo", """{"b":2,"a":[1,"x"]}""");
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);
        var envelopes = await _runtime.ReadEnvelopesAsync(session);

        Assert.Equal("echo@1.0.0", accepted.Payload.Agent);
        Assert.Equal("msg_req", accepted.Payload.ReplyTo);
        var result = Assert.Single(envelopes);
        Assert.Equal("job.result", result.GetProperty("type").GetString());
        Assert.Equal(1, result.GetProperty("event_seq").GetInt64());
        Assert.Equal(accepted.Payload.JobId, result.GetProperty("job_id").GetString());
        Assert.Equal(accepted.Payload.TraceId, result.GetProperty("trace_id").GetString());
        Assert.Equal("success", result.GetProperty("payload").GetProperty("final_status").GetString());
        Assert.Equal(2, result.GetProperty("payload").GetProperty("result").GetProperty("b").GetInt32());
    }

    [Fact]
    public async Task Submit_Countdown_ProgressPerStepThenResultGapFree()
    {
        var session = await _runtime.OpenSessionAsync();

        var accepted = await _runtime.SubmitAsync(session, "countdown", """{"steps":3,"interval_ms":1}""");
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);
        var envelopes = await _runtime.ReadEnvelopesAsync(session);

        Assert.Equal([1L, 2L, 3L, 4L], envelopes.Select(e => e.GetProperty("event_seq").GetInt64()));
        Assert.Equal([1.0, 2.0, 3.0], envelopes.Take(3).Select(e => e.GetProperty("payload").GetProperty("body").GetProperty("current").GetDouble()));
        Assert.All(envelopes.Take(3), e => Assert.Equal("progress", e.GetProperty("payload").GetProperty("kind").GetString()));
        Assert.Equal(3, envelopes[3].GetProperty("payload").GetProperty("result").GetProperty("steps").GetInt32());
    }

    [Fact]
    public async Task Submit_CountdownWithoutProgressFeature_NoProgressEventsOnlyResult()
    {
        var session = await _runtime.OpenSessionAsync("alice", "ack");

        var accepted = await _runtime.SubmitAsync(session, "countdown", """{"steps":2,"interval_ms":1}""");
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);

        Assert.Equal(["job.result"], (await _runtime.ReadEnvelopesAsync(session)).Select(e => e.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Cancel_RunningCountdown_CancelledTerminalOnceAndLast()
    {
        var session = await _runtime.OpenSessionAsync();
        var accepted = await _runtime.SubmitAsync(session, "countdown", """{"steps":1000,"interval_ms":20}""");
        await Task.Delay(100);

        var cancel = await _runtime.Jobs.CancelAsync("alice", session, accepted.Payload.JobId, "enough", default);
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);
        var envelopes = await _runtime.ReadEnvelopesAsync(session);
        var state = await _runtime.JobStore.GetAsync(accepted.Payload.JobId, default);

        Assert.IsType<CancelOutcome.Cancelled>(cancel);
        Assert.Equal(JobStatus.Cancelled, state!.Status);
        var terminal = Assert.Single(envelopes, e => e.GetProperty("type").GetString() is "job.result" or "job.error");
        Assert.Equal(terminal.GetRawText(), envelopes[^1].GetRawText());
        Assert.Equal("CANCELLED", terminal.GetProperty("payload").GetProperty("code").GetString());
        Assert.Equal("cancelled", terminal.GetProperty("payload").GetProperty("final_status").GetString());
        Assert.Equal("enough", terminal.GetProperty("payload").GetProperty("message").GetString());
        Assert.False(terminal.GetProperty("payload").GetProperty("retryable").GetBoolean());
    }

    [Fact]
    public async Task Cancel_BeforeStart_CancelledWithoutRunning()
    {
        var session = await _runtime.OpenSessionAsync();
        var accepted = await _runtime.SubmitAsync(session, "countdown", """{"steps":3,"interval_ms":1}""", start: false);

        await _runtime.Jobs.CancelAsync("alice", session, accepted.Payload.JobId, null, default);
        await _runtime.Jobs.StartAsync(accepted.Start, default);
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);

        var envelopes = await _runtime.ReadEnvelopesAsync(session);
        Assert.Equal("job.error", Assert.Single(envelopes).GetProperty("type").GetString());
        Assert.Equal(JobStatus.Cancelled, (await _runtime.JobStore.GetAsync(accepted.Payload.JobId, default))!.Status);
    }

    [Fact]
    public async Task Cancel_AfterSuccess_AlreadyTerminalAndNothingChanges()
    {
        var session = await _runtime.OpenSessionAsync();
        var accepted = await _runtime.SubmitAsync(session, "echo", "1");
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);
        var before = await _runtime.JobStore.GetAsync(accepted.Payload.JobId, default);

        var cancel = await _runtime.Jobs.CancelAsync("alice", session, accepted.Payload.JobId, null, default);
        var again = await _runtime.Jobs.CancelAsync("alice", session, accepted.Payload.JobId, null, default);

        Assert.Equal(JobStatus.Success, Assert.IsType<CancelOutcome.AlreadyTerminal>(cancel).Status);
        Assert.IsType<CancelOutcome.AlreadyTerminal>(again);
        var after = await _runtime.JobStore.GetAsync(accepted.Payload.JobId, default);
        Assert.Equal(before!.Version, after!.Version);
        Assert.Single(await _runtime.ReadEnvelopesAsync(session));
    }

    [Fact]
    public async Task Cancel_FromOtherSessionOfSamePrincipal_PermissionDeniedJobCompletes()
    {
        var owner = await _runtime.OpenSessionAsync();
        var other = await _runtime.OpenSessionAsync();
        var accepted = await _runtime.SubmitAsync(owner, "countdown", """{"steps":3,"interval_ms":20}""");

        var cancel = await _runtime.Jobs.CancelAsync("alice", other, accepted.Payload.JobId, null, default);
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);

        Assert.Equal(ErrorCode.PermissionDenied, Assert.IsType<CancelOutcome.Rejected>(cancel).Error.Code);
        Assert.Equal(JobStatus.Success, (await _runtime.JobStore.GetAsync(accepted.Payload.JobId, default))!.Status);
    }

    [Fact]
    public async Task Cancel_OtherPrincipalsJob_NotFoundSameAsUnknownJob()
    {
        var owner = await _runtime.OpenSessionAsync("alice");
        var accepted = await _runtime.SubmitAsync(owner, "echo", "1");

        var foreign = Assert.IsType<CancelOutcome.Rejected>(await _runtime.Jobs.CancelAsync("mallory", owner, accepted.Payload.JobId, null, default));
        var unknown = Assert.IsType<CancelOutcome.Rejected>(await _runtime.Jobs.CancelAsync("mallory", owner, "job_unknown", null, default));

        Assert.Equal(ErrorCode.JobNotFound, foreign.Error.Code);
        Assert.Equal(unknown.Error.Code, foreign.Error.Code);
    }

    [Theory]
    [InlineData("nope", ErrorCode.AgentNotAvailable)]
    [InlineData("echo@9.9.9", ErrorCode.AgentVersionNotAvailable)]
    [InlineData("Echo", ErrorCode.InvalidRequest)]
    public async Task Submit_BadAgent_RejectedWithCode(string agent, ErrorCode expected)
    {
        var session = await _runtime.OpenSessionAsync();

        var outcome = await _runtime.Jobs.SubmitAsync(new SubmitRequest("alice", session, [], new JobSubmit(agent), "msg_1", null), default);

        var rejected = Assert.IsType<SubmitOutcome.Rejected>(outcome);
        Assert.Equal(expected, rejected.Error.Code);
        Assert.Equal("msg_1", rejected.Error.RequestId);
    }

    [Fact]
    public async Task Submit_ExpiresAtInPast_InvalidRequest()
    {
        var session = await _runtime.OpenSessionAsync();
        var submit = new JobSubmit("echo", LeaseConstraints: new LeaseConstraints("2020-01-01T00:00:00Z"));

        var outcome = await _runtime.Jobs.SubmitAsync(new SubmitRequest("alice", session, [], submit, "msg_1", null), default);

        Assert.Equal(ErrorCode.InvalidRequest, Assert.IsType<SubmitOutcome.Rejected>(outcome).Error.Code);
    }

    [Fact]
    public async Task Submit_SameKeySameParametersKeyOrderDiffers_SameJobAgentRunsOnce()
    {
        var session = await _runtime.OpenSessionAsync();

        var first = await _runtime.SubmitAsync(session, "echo", """{"a":1,"b":{"c":2,"d":3}}""", shape: s => s with { IdempotencyKey = "k1" });
        await _runtime.WaitForEndAsync(first.Payload.JobId);
        var second = await _runtime.SubmitAsync(session, "echo", """{"b":{"d":3,"c":2},"a":1}""", shape: s => s with { IdempotencyKey = "k1" });
        await _runtime.WaitForEndAsync(second.Payload.JobId);

        Assert.True(second.Replayed);
        Assert.Equal(first.Payload.JobId, second.Payload.JobId);
        Assert.Equal(first.Payload.AcceptedAt, second.Payload.AcceptedAt);
        Assert.Single(await _runtime.ReadEnvelopesAsync(session));
        Assert.Equal(JobStatus.Success, (await _runtime.JobStore.GetAsync(first.Payload.JobId, default))!.Status);
    }

    [Fact]
    public async Task Submit_SameKeyDifferentInput_DuplicateKeyNamesExistingJob()
    {
        var session = await _runtime.OpenSessionAsync();
        var first = await _runtime.SubmitAsync(session, "echo", "1", shape: s => s with { IdempotencyKey = "k1" });

        var outcome = await _runtime.Jobs.SubmitAsync(new SubmitRequest("alice", session, [], new JobSubmit("echo", JsonDocument.Parse("2").RootElement, IdempotencyKey: "k1"), "msg_2", null), default);

        var rejected = Assert.IsType<SubmitOutcome.Rejected>(outcome);
        Assert.Equal(ErrorCode.DuplicateKey, rejected.Error.Code);
        Assert.Equal(first.Payload.JobId, rejected.Error.Details!.Value.GetProperty("existing_job_id").GetString());
    }

    [Fact]
    public async Task Submit_InboundTraceId_UsedForJob()
    {
        var session = await _runtime.OpenSessionAsync();
        const string trace = "0123456789abcdef0123456789abcdef";

        var outcome = await _runtime.Jobs.SubmitAsync(new SubmitRequest("alice", session, [], new JobSubmit("echo"), "msg_1", trace), default);

        Assert.Equal(trace, Assert.IsType<SubmitOutcome.Accepted>(outcome).Payload.TraceId);
    }

    [Fact]
    public async Task Run_MaxRuntimeExceeded_TimedOutWithTimeout()
    {
        var session = await _runtime.OpenSessionAsync();

        var accepted = await _runtime.SubmitAsync(session, "countdown", """{"steps":1000,"interval_ms":20}""", shape: s => s with { MaxRuntimeSec = 1 });
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);

        var terminal = (await _runtime.ReadEnvelopesAsync(session))[^1].GetProperty("payload");
        Assert.Equal("TIMEOUT", terminal.GetProperty("code").GetString());
        Assert.Equal("timed_out", terminal.GetProperty("final_status").GetString());
        Assert.True(terminal.GetProperty("retryable").GetBoolean());
    }

    [Fact]
    public async Task Run_LeaseExpiresMidRun_LeaseExpiredAfterStatusEvent()
    {
        var session = await _runtime.OpenSessionAsync();
        var expires = DateTimeOffset.UtcNow.AddSeconds(1).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);

        var accepted = await _runtime.SubmitAsync(session, "countdown", """{"steps":1000,"interval_ms":20}""", shape: s => s with { LeaseConstraints = new LeaseConstraints(expires) });
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);

        var envelopes = await _runtime.ReadEnvelopesAsync(session);
        var terminal = envelopes[^1].GetProperty("payload");
        Assert.Equal("LEASE_EXPIRED", terminal.GetProperty("code").GetString());
        Assert.Equal("error", terminal.GetProperty("final_status").GetString());
        Assert.False(terminal.GetProperty("retryable").GetBoolean());
        Assert.Equal("lease_expired", envelopes[^2].GetProperty("payload").GetProperty("body").GetProperty("phase").GetString());
    }

    [Fact]
    public async Task Run_LeaseOutlivesJob_NoLateLeaseExpired()
    {
        var session = await _runtime.OpenSessionAsync();
        var expires = DateTimeOffset.UtcNow.AddSeconds(1).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);

        var accepted = await _runtime.SubmitAsync(session, "echo", "1", shape: s => s with { LeaseConstraints = new LeaseConstraints(expires) });
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);
        await Task.Delay(1500);

        var envelopes = await _runtime.ReadEnvelopesAsync(session);
        Assert.Equal("job.result", Assert.Single(envelopes).GetProperty("type").GetString());
        Assert.Equal(JobStatus.Success, (await _runtime.JobStore.GetAsync(accepted.Payload.JobId, default))!.Status);
    }

    [Fact]
    public async Task Run_AbandonedMidRunThenRedelivered_CompletedStepsNotReRunNoDuplicateEvents()
    {
        var session = await _runtime.OpenSessionAsync();
        var accepted = await _runtime.SubmitAsync(session, "countdown", """{"steps":20,"interval_ms":10}""", start: false);

        // First worker is shut down mid-run (a crash as far as the job is concerned)...
        using (var shutdown = new CancellationTokenSource(TimeSpan.FromMilliseconds(80)))
        {
            var first = await _runtime.Runner.RunAsync(accepted.Payload.JobId, shutdown.Token);
            Assert.Equal(JobRunOutcome.Abandoned, first);
        }

        var midway = await _runtime.JobStore.GetAsync(accepted.Payload.JobId, default);
        Assert.InRange(midway!.EventCount, 1, 19);

        // ...and the redelivered activity finishes it.
        var second = await _runtime.Runner.RunAsync(accepted.Payload.JobId, default);
        await _runtime.Fanout.DrainAsync(accepted.Payload.JobId, default);

        Assert.Equal(JobRunOutcome.Finished, second);
        var envelopes = await _runtime.ReadEnvelopesAsync(session);
        var progress = envelopes.Where(e => e.GetProperty("type").GetString() == "job.event").Select(e => e.GetProperty("payload").GetProperty("body").GetProperty("current").GetDouble()).ToList();
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (double)i), progress);
        Assert.Equal(2, (await _runtime.JobStore.GetAsync(accepted.Payload.JobId, default))!.Attempt);
    }
}

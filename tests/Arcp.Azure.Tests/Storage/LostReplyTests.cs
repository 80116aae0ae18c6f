using Arcp.Azure.Jobs;
using Arcp.Azure.Storage;
using Arcp.Azure.Tests.Contracts;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Storage;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace Arcp.Azure.Tests.Storage;

/// <summary>
/// Invariants 8 and 10 against the real SDK on Azurite: a transaction that committed but whose reply was lost is
/// retried by the SDK, gets 412, and is recognised as done; transient answers are retried; an outage longer than one
/// operation's retries surfaces as <see cref="StorageUnavailableException"/>, never as the job's outcome.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class LostReplyTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly ReplyLosingPolicy _faults = new();
    private ArcpStorage _storage = null!;
    private TableJobStore _jobs = null!;

    public async Task InitializeAsync()
    {
        var options = new TableClientOptions();
        options.Retry.Delay = TimeSpan.FromMilliseconds(20);
        options.AddPolicy(_faults, HttpPipelinePosition.PerRetry);
        _storage = new ArcpStorage(new TableServiceClient(azurite.ConnectionString, options), new BlobServiceClient(azurite.ConnectionString), "t" + Guid.NewGuid().ToString("N")[..12]);
        await _storage.EnsureCreatedAsync(default);
        _jobs = new TableJobStore(_storage, TimeProvider.System) { TransientRetryLimit = TimeSpan.FromSeconds(2) };
    }

    public Task DisposeAsync() => _storage.DeleteAllAsync(default);

    [Fact]
    public async Task Append_ReplyLostAfterCommit_AppendedOnceNotConflict()
    {
        var job = await RunningJobAsync();
        _faults.LoseNextBatchReplies(1);

        var append = await _jobs.AppendEventsAsync(job, [Event(1), Event(2)], null, JobWrite.FencedBy(JobClaim.Of(job)), default);

        Assert.Equal(0, _faults.RepliesStillToLose);
        var appended = Assert.IsType<AppendResult.Appended>(append);
        Assert.Equal(1, appended.FirstIndex);
        Assert.Equal(3, appended.State.NextEventIndex);
        Assert.Equal(2, await CountEventsAsync(job.JobId));
    }

    [Fact]
    public async Task Finish_ReplyLostAfterCommit_FinishedNotAlreadyTerminal()
    {
        var job = await RunningJobAsync();
        _faults.LoseNextBatchReplies(1);

        var finish = await _jobs.TryFinishAsync(job.JobId, Terminal(), [Event(1)], job, JobWrite.FencedBy(JobClaim.Of(job)), default);

        Assert.Equal(0, _faults.RepliesStillToLose);
        Assert.IsType<FinishResult.Finished>(finish);
        Assert.Equal(2, await CountEventsAsync(job.JobId));
    }

    [Fact]
    public async Task Claim_ReplyLostAfterCommit_ClaimedNotHeldByItself()
    {
        var definition = ContractTestBase.Definition("job_" + Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow);
        Assert.True(await _jobs.CreateAsync(definition, "{}", default));
        var otherNode = new TableJobStore(_storage, TimeProvider.System);
        _faults.LoseNextBatchReplies(1);

        // Another node's store has no cached copy of the created row, so its claim is a read then one transaction.
        var claim = await otherNode.TryClaimAsync(definition.JobId, "node-b", TimeSpan.FromMinutes(1), default);

        Assert.Equal(0, _faults.RepliesStillToLose);
        Assert.Equal(1, Assert.IsType<ClaimResult.Claimed>(claim).State.Attempt);
    }

    [Fact]
    public async Task Append_ConnectionFailuresBeyondTheSdkRetries_RetriedByTheStoreAndAppended()
    {
        var job = await RunningJobAsync();
        _faults.FailConnections(8);

        var append = await _jobs.AppendEventsAsync(job, [Event(1)], null, JobWrite.FencedBy(JobClaim.Of(job)), default);

        Assert.IsType<AppendResult.Appended>(append);
        Assert.Equal(1, await CountEventsAsync(job.JobId));
    }

    [Fact]
    public async Task Append_OutageLongerThanTheRetryLimit_StorageUnavailableNothingWritten()
    {
        var job = await RunningJobAsync();
        _faults.FailConnections(int.MaxValue);

        var failure = await Assert.ThrowsAsync<StorageUnavailableException>(() => _jobs.AppendEventsAsync(job, [Event(1)], null, JobWrite.FencedBy(JobClaim.Of(job)), default));

        _faults.FailConnections(0);
        Assert.True(StorageFaults.IsTransient(failure.InnerException!));
        Assert.Equal(0, await CountEventsAsync(job.JobId));
    }

    private async Task<JobState> RunningJobAsync()
    {
        var definition = ContractTestBase.Definition("job_" + Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow);
        Assert.True(await _jobs.CreateAsync(definition, "{}", default));
        return Assert.IsType<ClaimResult.Claimed>(await _jobs.TryClaimAsync(definition.JobId, "node-a", TimeSpan.FromMinutes(1), default)).State;
    }

    private async Task<int> CountEventsAsync(string jobId) =>
        Assert.IsType<JobEventRead.Events>(await new TableJobStore(_storage, TimeProvider.System).ReadEventsAsync(jobId, 1, 1000, default)).Items.Count;

    private static NewJobEvent Event(int n) =>
        new(JobEventTypes.Event, $$$"""{"kind":"log","ts":"2026-05-13T10:00:00.000Z","body":{"level":"info","message":"event {{{n}}}"}}""", DateTimeOffset.UtcNow, "msg_" + Guid.NewGuid().ToString("N"));

    private static JobTermination Terminal() =>
        JobTermination.Create(JobStatus.Success, new NewJobEvent(JobEventTypes.Result, """{"final_status":"success","result":{"ok":true}}""", DateTimeOffset.UtcNow, "msg_" + Guid.NewGuid().ToString("N")));

    /// <summary>Per retry: forwards a transaction and then drops its reply, or fails the connection before sending.</summary>
    private sealed class ReplyLosingPolicy : HttpPipelinePolicy
    {
        private int _repliesToLose;
        private int _failures;

        public int RepliesStillToLose => Math.Max(0, Volatile.Read(ref _repliesToLose));

        public void LoseNextBatchReplies(int count) => Volatile.Write(ref _repliesToLose, count);

        public void FailConnections(int count) => Volatile.Write(ref _failures, count);

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => throw new NotSupportedException();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (Interlocked.Decrement(ref _failures) >= 0)
            {
                throw new IOException("Connection refused.");
            }

            var batch = message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal);
            await ProcessNextAsync(message, pipeline);
            if (batch && Interlocked.Decrement(ref _repliesToLose) >= 0)
            {
                throw new IOException("The connection was reset after the request was sent.");
            }
        }
    }
}

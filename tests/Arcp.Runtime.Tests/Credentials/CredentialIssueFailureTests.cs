using System.Text.Json;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Leases;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Credentials;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Jobs.Sweeping;
using Arcp.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Runtime.Tests.Credentials;

/// <summary>
/// A credential issue that fails after the job was recorded leaves no orphan: the job is ended without running (the
/// client gets a retryable error, never <c>job.accepted</c>), and a retry with the same idempotency key submits anew.
/// </summary>
public sealed class CredentialIssueFailureTests : IAsyncLifetime
{
    private const string Features = "provisioned_credentials";
    private readonly RuntimeHarness _runtime;
    private FailingIssueProvisioner _provisioner = null!;
    private TerminalOutageJobStore _store = null!;

    public CredentialIssueFailureTests() => _runtime = new RuntimeHarness(services =>
    {
        services.Configure<CredentialOptions>(o => o.Endpoint = "https://gateway.test/v1");
        services.Configure<JobSweeperOptions>(o => o.StartMissingAfter = TimeSpan.Zero);
        services.AddArcpScopedBearerCredentials();
        services.AddSingleton<ICredentialProvisioner>(sp => _provisioner = new FailingIssueProvisioner(sp.GetRequiredService<ScopedBearerProvisioner>()));
        services.AddSingleton<IJobStore>(sp => _store = new TerminalOutageJobStore(new InMemoryJobStore(TimeProvider.System)));
    });

    public Task InitializeAsync()
    {
        _ = _runtime.Get<CredentialService>();
        _ = _runtime.JobStore;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    [Fact]
    public async Task Submit_IssueFailsAfterJobRecorded_RejectedRetryableJobEndedAndKeyReusable()
    {
        // Arrange
        var session = await _runtime.OpenSessionAsync("alice", Features, "progress");
        _provisioner.FailIssue = true;

        // Act
        var failed = await SubmitAsync(session, "k1");
        var orphans = await _runtime.JobStore.ListNonTerminalAsync(100, default);
        var sweep = await _runtime.Get<JobSweeper>().SweepAsync(_runtime.Scheduler, default);
        _provisioner.FailIssue = false;
        var retried = await SubmitAsync(session, "k1");

        // Assert: a retryable error, nothing left to run, and the retry is a fresh acceptance with its credential.
        var rejected = Assert.IsType<SubmitOutcome.Rejected>(failed);
        Assert.Equal(ErrorCode.InternalError, rejected.Error.Code);
        Assert.True(rejected.Error.Retryable);
        Assert.Empty(orphans);
        Assert.Equal(0, sweep.Started);
        var accepted = Assert.IsType<SubmitOutcome.Accepted>(retried);
        Assert.False(accepted.Replayed);
        Assert.Single(accepted.Payload.Credentials!);
        Assert.Empty(await _runtime.ReadEnvelopesAsync(session));
    }

    [Fact]
    public async Task Sweep_RecordedJobWhoseIssueNeverCompleted_EndedNotStarted()
    {
        // Arrange: the issue fails and so does ending the job (storage down): the job is left pending, as after a
        // crash between recording it and issuing its credentials.
        var session = await _runtime.OpenSessionAsync("alice", Features, "progress");
        (_provisioner.FailIssue, _store.Outage) = (true, true);
        Assert.IsType<SubmitOutcome.Rejected>(await SubmitAsync(session, key: null));
        var orphan = Assert.Single(await _runtime.JobStore.ListNonTerminalAsync(100, default));
        (_provisioner.FailIssue, _store.Outage) = (false, false);

        // Act
        var sweep = await _runtime.Get<JobSweeper>().SweepAsync(_runtime.Scheduler, default);

        // Assert: ended, never started, no credential issued for it, nothing pushed to the client.
        Assert.Equal(0, sweep.Started);
        Assert.Equal(1, sweep.Ended);
        Assert.Equal(JobInstanceStatus.Missing, await _runtime.Scheduler.GetInstanceStatusAsync(orphan.JobId, default));
        var state = await _runtime.JobStore.GetAsync(orphan.JobId, default);
        Assert.Equal(JobStatus.Error, state!.Status);
        Assert.Empty(await _runtime.Get<ICredentialLedger>().ListAsync(orphan.JobId, default));
        Assert.Empty(await _runtime.ReadEnvelopesAsync(session));
    }

    private Task<SubmitOutcome> SubmitAsync(string session, string? key)
    {
        var expiresAt = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        var submit = new JobSubmit("echo", JsonDocument.Parse("1").RootElement.Clone())
        {
            LeaseRequest = new Dictionary<string, IReadOnlyList<string>> { ["tool.call"] = ["search.*"] },
            LeaseConstraints = new LeaseConstraints(expiresAt),
            IdempotencyKey = key,
        };
        return _runtime.Jobs.SubmitAsync(new SubmitRequest("alice", session, [Features, "progress"], submit, "msg_req", null), default);
    }

    /// <summary>The built-in provisioner, with issues that fail while <see cref="FailIssue"/> is set.</summary>
    private sealed class FailingIssueProvisioner(ScopedBearerProvisioner inner) : ICredentialProvisioner
    {
        public bool FailIssue { get; set; }

        public Task<IReadOnlyList<IssuedCredential>> IssueAsync(JobDefinition job, CancellationToken cancellationToken) =>
            FailIssue ? throw new HttpRequestException("The credential upstream is unavailable.") : inner.IssueAsync(job, cancellationToken);

        public Task<IssuedCredential> RotateAsync(string jobId, string credentialId, CancellationToken cancellationToken) => inner.RotateAsync(jobId, credentialId, cancellationToken);

        public Task RevokeAsync(string credentialId, CancellationToken cancellationToken) => inner.RevokeAsync(credentialId, cancellationToken);
    }
}

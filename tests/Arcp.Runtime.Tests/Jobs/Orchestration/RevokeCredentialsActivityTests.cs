using Arcp.Runtime.Credentials;
using Arcp.Runtime.Jobs.Orchestration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Arcp.Runtime.Tests.Jobs.Orchestration;

public sealed class RevokeCredentialsActivityTests
{
    private static CredentialLedgerEntry Entry(string id) => new("job_1", id, "test", [1, 2, 3], DateTimeOffset.UtcNow, null);

    [Fact]
    public async Task Revoke_NoProvisioner_DoesNothing()
    {
        // Arrange
        await using var runtime = new RuntimeHarness();
        var ledger = runtime.Get<ICredentialLedger>();
        await ledger.RecordIssuedAsync([Entry("c1")], default);

        // Act
        var revoked = await runtime.Get<RevokeCredentialsActivity>().RevokeAsync("job_1", default);

        // Assert
        Assert.Equal(0, revoked);
        Assert.Single(await ledger.ListOutstandingAsync("job_1", default));
    }

    [Fact]
    public async Task Revoke_OneFailsOnce_FailureRecordedActivityThrowsThenRetrySucceeds()
    {
        // Arrange
        var provisioner = new FlakyProvisioner("c2");
        await using var runtime = new RuntimeHarness(s => s.TryAddSingleton<ICredentialProvisioner>(provisioner));
        var ledger = runtime.Get<ICredentialLedger>();
        await ledger.RecordIssuedAsync([Entry("c1"), Entry("c2")], default);
        var activity = runtime.Get<RevokeCredentialsActivity>();

        // Act
        await Assert.ThrowsAsync<InvalidOperationException>(() => activity.RevokeAsync("job_1", default));
        var afterFirst = await ledger.ListAsync("job_1", default);
        var revokedOnRetry = await activity.RevokeAsync("job_1", default);

        // Assert
        Assert.True(afterFirst.Single(e => e.CredentialId == "c1").Revoked);
        var failed = afterFirst.Single(e => e.CredentialId == "c2");
        Assert.False(failed.Revoked);
        Assert.Equal(1, failed.RevokeAttempts);
        Assert.Contains("provider down", failed.LastRevokeError, StringComparison.Ordinal);
        Assert.Equal(1, revokedOnRetry);
        Assert.Empty(await ledger.ListOutstandingAsync("job_1", default));
        Assert.Equal(["c1", "c2", "c2"], provisioner.Calls);
    }

    private sealed class FlakyProvisioner(string failOnceId) : ICredentialProvisioner
    {
        private bool _failed;

        public List<string> Calls { get; } = [];

        public Task<IReadOnlyList<IssuedCredential>> IssueAsync(Arcp.Runtime.Jobs.JobDefinition job, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IssuedCredential> RotateAsync(string jobId, string credentialId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task RevokeAsync(string credentialId, CancellationToken cancellationToken)
        {
            Calls.Add(credentialId);
            if (credentialId == failOnceId && !_failed)
            {
                _failed = true;
                throw new HttpRequestException("provider down");
            }

            return Task.CompletedTask;
        }
    }
}

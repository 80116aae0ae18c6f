using System.Text.Json;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Credentials;
using Arcp.Runtime;
using Arcp.Runtime.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Arcp.Azure.Tests.Durable;

/// <summary>
/// §9.8.2 and §14: revocation is retried durably, and when the upstream stays down past the retries the failure is
/// logged for operators and kept in the ledger — the job itself is not held back.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RevocationGiveUpTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly CapturingLoggerProvider _logs = new();
    private DurableRuntime _runtime = null!;

    public async Task InitializeAsync() => _runtime = await DurableRuntime.StartAsync(
        azurite.ConnectionString,
        configure: settings =>
        {
            settings["Arcp:Durable:RevokeMaxAttempts"] = "2";
            settings["Arcp:Durable:RevokeFirstRetryInterval"] = "00:00:01";
        },
        services: services =>
        {
            services.AddLogging(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Information));
            services.Configure<CredentialOptions>(o => o.Endpoint = "https://gateway.test/v1");
            services.AddArcpScopedBearerCredentials();
        });

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    [Fact]
    public async Task UpstreamDownPastTheRetries_JobEndsRevocationFailureLoggedAndKept()
    {
        // Arrange: the credential upstream refuses every revocation.
        var provisioner = _runtime.Get<ScopedBearerProvisioner>();
        provisioner.Outage = true;
        var session = await _runtime.OpenSessionAsync();
        var submit = new JobSubmit("echo", JsonDocument.Parse("1").RootElement.Clone());
        var accepted = Assert.IsType<SubmitOutcome.Accepted>(await _runtime.Jobs.SubmitAsync(new SubmitRequest("alice", session, ["progress", CredentialService.Feature], submit, "msg_req", null), default));
        var credential = Assert.Single(accepted.Payload.Credentials!);

        // Act
        await _runtime.Jobs.StartAsync(accepted.Start, default);
        var state = await _runtime.WaitTerminalAsync(accepted.Payload.JobId, TimeSpan.FromSeconds(60));
        await _runtime.WaitInstanceCompletedAsync(accepted.Payload.JobId, TimeSpan.FromSeconds(60));

        // Assert: the job's outcome stands; the give-up is logged at Error with the job, and the ledger keeps the id
        // outstanding with its last error (and never the value).
        Assert.Equal(JobStatus.Success, state.Status);
        Assert.Contains(_logs.Lines, l => l.StartsWith("[2404]", StringComparison.Ordinal) && l.Contains(accepted.Payload.JobId, StringComparison.Ordinal));
        var entry = Assert.Single(await _runtime.Get<ICredentialLedger>().ListOutstandingAsync(accepted.Payload.JobId, default));
        Assert.Equal(credential.Id, entry.CredentialId);
        Assert.False(string.IsNullOrEmpty(entry.LastRevokeError));
        Assert.True(entry.RevokeAttempts >= 2);
        Assert.True(provisioner.IsLive(credential.Value));
        Assert.DoesNotContain(_logs.Lines, l => l.Contains(credential.Value, StringComparison.Ordinal));
    }
}

using System.Text;
using System.Text.Json;
using Arcp.Protocol.Leases;
using Arcp.Protocol.Messages;
using Arcp.Agents.Sdk;
using Arcp.Runtime.Credentials;
using Arcp.Runtime.Idempotency;
using Arcp.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Arcp.Runtime.Tests.Credentials;

/// <summary>§9.8 with the built-in provisioner: issued with acceptance, protected at rest, revoked on every ending, never logged.</summary>
public sealed class CredentialTests : IAsyncLifetime
{
    private readonly CapturingLoggerProvider _logs = new();
    private readonly RuntimeHarness _runtime;

    public CredentialTests() => _runtime = new RuntimeHarness(services =>
    {
        services.AddLogging(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
        services.Configure<CredentialOptions>(o => o.Endpoint = "https://gateway.test/v1");
        services.AddArcpScopedBearerCredentials();
        services.AddArcpAgent<RotatingAgent>("rotator", "1.0.0", isDefault: true);
        services.AddArcpAgent<DelegateAndReturnAgent>("parent", "1.0.0", isDefault: true);
    });

    private ScopedBearerProvisioner Provisioner => _runtime.Get<ScopedBearerProvisioner>();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    private static Func<JobSubmit, JobSubmit> Budgeted(int? maxRuntimeSec = null)
    {
        var expiresAt = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        return s => s with
        {
            LeaseRequest = new Dictionary<string, IReadOnlyList<string>> { ["cost.budget"] = ["USD:2.00"], ["model.use"] = ["tier-fast/*"], ["tool.call"] = ["search.*"] },
            LeaseConstraints = new LeaseConstraints(expiresAt),
            MaxRuntimeSec = maxRuntimeSec,
        };
    }

    [Fact]
    public async Task Submit_FeatureNegotiated_AcceptedCarriesScopedCredentialStoredProtected()
    {
        var session = await _runtime.OpenSessionAsync("alice", "provisioned_credentials", "progress");

        var accepted = await _runtime.SubmitAsync(session, "countdown", """{"steps":1,"interval_ms":1}""", shape: Budgeted(), start: false);

        var credential = Assert.Single(accepted.Payload.Credentials!);
        Assert.StartsWith("cred_", credential.Id);
        Assert.Equal("bearer", credential.Scheme);
        Assert.StartsWith("sk-arcp-", credential.Value);
        Assert.Equal("https://gateway.test/v1", credential.Endpoint);
        Assert.Equal(["USD:2.00"], credential.Constraints!.CostBudget);
        Assert.Equal(["tier-fast/*"], credential.Constraints.ModelUse);
        Assert.EndsWith("Z", credential.Constraints.ExpiresAt);
        Assert.True(Provisioner.IsLive(credential.Value));
        var stored = Assert.Single(await _runtime.Get<ICredentialLedger>().ListAsync(accepted.Payload.JobId, default));
        Assert.DoesNotContain(credential.Value, Encoding.UTF8.GetString(stored.ProtectedValue), StringComparison.Ordinal);
        Assert.NotEqual(Encoding.UTF8.GetBytes(credential.Value), stored.ProtectedValue);
    }

    [Fact]
    public async Task Submit_FeatureNotNegotiated_NoCredentials()
    {
        var session = await _runtime.OpenSessionAsync("alice", "progress");

        var accepted = await _runtime.SubmitAsync(session, "echo", "1", shape: Budgeted());

        Assert.Null(accepted.Payload.Credentials);
        Assert.Equal(0, Provisioner.LiveCount);
    }

    public static TheoryData<string, string, int?> Endings() => new()
    {
        { "echo", "1", null },
        { "research", """{"model":"tier-slow/x"}""", null },
        { "countdown", """{"steps":1000,"interval_ms":20}""", 1 },
    };

    [Theory]
    [MemberData(nameof(Endings))]
    public async Task Ending_SuccessErrorTimeout_CredentialRevoked(string agent, string input, int? maxRuntimeSec)
    {
        var session = await _runtime.OpenSessionAsync("alice", "provisioned_credentials", "progress");

        var accepted = await _runtime.SubmitAsync(session, agent, input, shape: Budgeted(maxRuntimeSec));
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);

        Assert.False(Provisioner.IsLive(accepted.Payload.Credentials![0].Value));
        Assert.Empty(await _runtime.Get<ICredentialLedger>().ListOutstandingAsync(accepted.Payload.JobId, default));
        Assert.DoesNotContain(_logs.Lines, l => l.Contains(accepted.Payload.Credentials[0].Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ending_Cancelled_CredentialRevoked()
    {
        var session = await _runtime.OpenSessionAsync("alice", "provisioned_credentials", "progress");
        var accepted = await _runtime.SubmitAsync(session, "countdown", """{"steps":1000,"interval_ms":20}""", shape: Budgeted());

        await _runtime.Jobs.CancelAsync("alice", session, accepted.Payload.JobId, null, default);
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);

        Assert.False(Provisioner.IsLive(accepted.Payload.Credentials![0].Value));
    }

    [Fact]
    public async Task Revocation_ProviderOutageThenRecovery_RevokedOnceItRecovers()
    {
        var session = await _runtime.OpenSessionAsync("alice", "provisioned_credentials", "progress");
        Provisioner.Outage = true;
        var accepted = await _runtime.SubmitAsync(session, "echo", "1", shape: Budgeted());
        while ((await _runtime.Get<ICredentialLedger>().ListAsync(accepted.Payload.JobId, default))[0].RevokeAttempts == 0)
        {
            await Task.Delay(20);
        }

        Assert.True(Provisioner.IsLive(accepted.Payload.Credentials![0].Value));
        Provisioner.Outage = false;
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);

        var entry = Assert.Single(await _runtime.Get<ICredentialLedger>().ListAsync(accepted.Payload.JobId, default));
        Assert.True(entry.Revoked);
        Assert.True(entry.RevokeAttempts >= 1);
        Assert.False(Provisioner.IsLive(accepted.Payload.Credentials[0].Value));
    }

    [Fact]
    public async Task Rotation_StatusEventCarriesNewValueOldValueDead()
    {
        var session = await _runtime.OpenSessionAsync("alice", "provisioned_credentials", "progress");

        var accepted = await _runtime.SubmitAsync(session, "rotator", "null", shape: Budgeted());
        await _runtime.WaitForEndAsync(accepted.Payload.JobId);
        var envelopes = await _runtime.ReadEnvelopesAsync(session);

        var rotated = envelopes.Single(e => e.GetProperty("type").GetString() == "job.event").GetProperty("payload").GetProperty("body");
        Assert.Equal("credential_rotated", rotated.GetProperty("phase").GetString());
        Assert.Equal(accepted.Payload.Credentials![0].Id, rotated.GetProperty("credential_id").GetString());
        var newValue = rotated.GetProperty("credential_value").GetString()!;
        Assert.NotEqual(accepted.Payload.Credentials[0].Value, newValue);
        Assert.False(Provisioner.IsLive(accepted.Payload.Credentials[0].Value));
        Assert.False(Provisioner.IsLive(newValue));
        Assert.DoesNotContain(_logs.Lines, l => l.Contains(newValue, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rotation_NewValueKeepsTheIssuedConstraints_AndReplaysShowIt()
    {
        var session = await _runtime.OpenSessionAsync("alice", "provisioned_credentials", "progress");
        var accepted = await _runtime.SubmitAsync(session, "countdown", """{"steps":1,"interval_ms":1}""", shape: Budgeted(), start: false);
        var issued = Assert.Single(accepted.Payload.Credentials!);
        var credentials = _runtime.Get<CredentialService>();

        var rotated = await credentials.RotateAsync(accepted.Payload.JobId, issued.Id, default);
        var readBack = Assert.Single(await credentials.ReadForSubmitterAsync(accepted.Payload.JobId, default));

        Assert.NotEqual(issued.Value, rotated.Value);
        Assert.Equal(["USD:2.00"], rotated.CostBudget);
        Assert.Equal(["tier-fast/*"], rotated.ModelUse);
        Assert.Equal(issued.Constraints!.ExpiresAt, Arcp.Protocol.Json.ArcpTimestamp.Format(rotated.ExpiresAt!.Value));
        Assert.Equal(rotated.Value, readBack.Value);
        Assert.Equal(issued.Endpoint, readBack.Endpoint);
        Assert.Equal(issued.Constraints, readBack.Constraints, ConstraintsComparer.Instance);
        Assert.False(Provisioner.IsLive(issued.Value));
        Assert.True(Provisioner.IsLive(rotated.Value));
    }

    [Fact]
    public async Task ParentEnds_RunningChildCancelledAndItsCredentialRevoked()
    {
        // Arrange: the parent delegates a long countdown and returns at once.
        var session = await _runtime.OpenSessionAsync("alice", "provisioned_credentials", "progress");
        var lease = new Dictionary<string, IReadOnlyList<string>> { ["agent.delegate"] = ["countdown"], ["cost.budget"] = ["USD:2.00"] };

        // Act
        var parent = await _runtime.SubmitAsync(session, "parent", "null", shape: s => s with { LeaseRequest = lease });
        await _runtime.WaitForEndAsync(parent.Payload.JobId);
        var childId = (await _runtime.JobStore.ListChildrenAsync(parent.Payload.JobId, default)).Single();
        await _runtime.WaitForEndAsync(childId);

        // Assert: the child's credential was cut to the child's lease (§9.8.2), the child did not run on after its
        // parent, and nothing it was issued is still live.
        var child = (await _runtime.JobStore.GetAsync(childId, default))!;
        Assert.Equal(JobStatus.Cancelled, child.Status);
        Assert.Equal("The parent job ended.", child.CancelReason);
        var childCredential = Assert.Single(await _runtime.Get<ICredentialLedger>().ListAsync(childId, default));
        Assert.Equal(["USD:1.00"], childCredential.CostBudget);
        await Eventually.WaitUntilAsync(async () => (await _runtime.Get<ICredentialLedger>().ListOutstandingAsync(childId, default)).Count == 0);
        Assert.Equal(0, Provisioner.LiveCount);
    }

    [Fact]
    public async Task IdempotentReplay_CredentialsReadBackNotStoredWithTheKey()
    {
        var session = await _runtime.OpenSessionAsync("alice", "provisioned_credentials", "progress");
        var budgeted = Budgeted();
        var first = await _runtime.SubmitAsync(session, "countdown", """{"steps":1,"interval_ms":1}""", shape: s => budgeted(s) with { IdempotencyKey = "k" }, start: false);

        var second = await _runtime.SubmitAsync(session, "countdown", """{"steps":1,"interval_ms":1}""", shape: s => budgeted(s) with { IdempotencyKey = "k" }, start: false);
        var record = await _runtime.Get<IIdempotencyStore>().ReserveAsync(new IdempotencyRecord("alice", "k", "x", "job_x", "{}", DateTimeOffset.UtcNow), default);

        Assert.True(second.Replayed);
        Assert.Equal(first.Payload.Credentials![0].Value, second.Payload.Credentials![0].Value);
        Assert.Equal("https://gateway.test/v1", second.Payload.Credentials[0].Endpoint);
        Assert.Equal(first.Payload.Credentials[0].Constraints, second.Payload.Credentials[0].Constraints, ConstraintsComparer.Instance);
        Assert.DoesNotContain(first.Payload.Credentials[0].Value, record.Record.AcceptedPayloadJson, StringComparison.Ordinal);
    }

    /// <summary>Constraints compared by value (the lists are compared element by element).</summary>
    private sealed class ConstraintsComparer : IEqualityComparer<CredentialConstraints?>
    {
        public static readonly ConstraintsComparer Instance = new();

        public bool Equals(CredentialConstraints? x, CredentialConstraints? y) =>
            x is null || y is null
                ? x is null && y is null
                : (x.CostBudget ?? []).SequenceEqual(y.CostBudget ?? []) && (x.ModelUse ?? []).SequenceEqual(y.ModelUse ?? []) && x.ExpiresAt == y.ExpiresAt;

        public int GetHashCode(CredentialConstraints? obj) => obj?.ExpiresAt?.GetHashCode(StringComparison.Ordinal) ?? 0;
    }

    /// <summary>Delegates a long countdown and returns without waiting for it.</summary>
    private sealed class DelegateAndReturnAgent : IAgent
    {
        public async Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken)
        {
            var child = await context.DelegateAsync(
                "countdown",
                JsonDocument.Parse("""{"steps":600,"interval_ms":50}""").RootElement,
                new Dictionary<string, IReadOnlyList<string>> { ["cost.budget"] = ["USD:1.00"] });
            return JsonSerializer.SerializeToElement(child.JobId);
        }
    }

    /// <summary>Rotates its credential once and returns.</summary>
    private sealed class RotatingAgent : IAgent
    {
        public async Task<JsonElement?> RunAsync(JobContext context, CancellationToken cancellationToken)
        {
            var credential = Assert.Single(await context.GetCredentialIdsAsync());
            await context.RotateCredentialAsync(credential);
            return null;
        }
    }
}

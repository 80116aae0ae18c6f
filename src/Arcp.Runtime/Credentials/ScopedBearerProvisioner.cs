using System.Collections.Concurrent;
using System.Security.Cryptography;
using Arcp.Protocol.Ids;
using Arcp.Protocol.Leases;
using Arcp.Runtime.Jobs;
using Microsoft.Extensions.Options;

namespace Arcp.Runtime.Credentials;

/// <summary>
/// A self-contained provisioner for tests and demos: mints random bearer values for the configured endpoint, each
/// constrained to the job's <c>cost.budget</c>, <c>model.use</c> and expiry, and keeps the set of live values so a
/// gateway (or a test) can check one. <see cref="Outage"/> makes revocation fail, to exercise retries.
/// </summary>
internal sealed class ScopedBearerProvisioner(IOptions<CredentialOptions> options, TimeProvider timeProvider) : ICredentialProvisioner
{
    private readonly ConcurrentDictionary<string, IssuedCredential> _live = new(StringComparer.Ordinal);
    private readonly IdGenerator _ids = new(timeProvider);

    /// <summary>While true, revocations fail as if the upstream were down.</summary>
    public bool Outage { get; set; }

    /// <summary>Whether <paramref name="value"/> is a live (issued, not revoked or rotated away) credential value.</summary>
    public bool IsLive(string value) => _live.Values.Any(c => string.Equals(c.Value, value, StringComparison.Ordinal));

    /// <summary>Number of live credentials.</summary>
    public int LiveCount => _live.Count;

    /// <inheritdoc />
    public Task<IReadOnlyList<IssuedCredential>> IssueAsync(JobDefinition job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var lease = JobLease.Parse(job.LeaseJson);
        var credential = Mint(_ids.NewCredentialId(), lease, job.ExpiresAt);
        return Task.FromResult<IReadOnlyList<IssuedCredential>>([credential]);
    }

    /// <inheritdoc />
    public Task<IssuedCredential> RotateAsync(string jobId, string credentialId, CancellationToken cancellationToken)
    {
        if (!_live.TryGetValue(credentialId, out var current))
        {
            throw new InvalidOperationException($"Credential {credentialId} is not live.");
        }

        // A new value under the same constraints (§9.8.3): rotation never widens what the credential allows.
        return Task.FromResult(Remember(current with { Value = NewValue() }));
    }

    /// <inheritdoc />
    public Task RevokeAsync(string credentialId, CancellationToken cancellationToken)
    {
        if (Outage)
        {
            throw new HttpRequestException("The credential upstream is unavailable.");
        }

        _live.TryRemove(credentialId, out _);
        return Task.CompletedTask;
    }

    private IssuedCredential Mint(string id, LeaseRequest lease, DateTimeOffset? expiresAt) => Remember(new IssuedCredential(
        id,
        NewValue(),
        options.Value.Endpoint ?? throw new InvalidOperationException("Arcp:Credentials:Endpoint is not set."),
        options.Value.Profile,
        lease.GetPatterns(LeaseNamespaces.CostBudget) is { Count: > 0 } budget ? budget : null,
        lease.GetPatterns(LeaseNamespaces.ModelUse) is { Count: > 0 } models ? models : null,
        expiresAt));

    private static string NewValue() => "sk-arcp-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    private IssuedCredential Remember(IssuedCredential credential)
    {
        _live[credential.Id] = credential;
        return credential;
    }
}

using Arcp.Azure.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Arcp.Host.Health;

/// <summary>The host can serve only when its storage account answers: every ARCP decision is a storage write.</summary>
internal sealed class StorageHealthCheck(StorageProbe probe) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await probe.IsReachableAsync(cancellationToken).ConfigureAwait(false)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("storage unreachable");
}

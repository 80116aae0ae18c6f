using Azure.Data.Tables;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Arcp.Host.Health;

/// <summary>The host can serve only when its storage account answers: every ARCP decision is a storage write.</summary>
internal sealed class StorageHealthCheck(TableServiceClient tables, ILogger<StorageHealthCheck> logger) : IHealthCheck
{
    private static readonly TimeSpan s_probeTimeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_probeTimeout);
        try
        {
            await foreach (var _ in tables.QueryAsync(maxPerPage: 1, cancellationToken: timeout.Token).AsPages(pageSizeHint: 1).WithCancellation(timeout.Token))
            {
                break;
            }

            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is global::Azure.RequestFailedException or OperationCanceledException or HttpRequestException or AggregateException)
        {
            Log.StorageUnreachable(logger, ex);
            return HealthCheckResult.Unhealthy("storage unreachable");
        }
    }
}

using Azure.Data.Tables;
using Microsoft.Extensions.Logging;

namespace Arcp.Azure.Storage;

/// <summary>
/// Whether the storage account answers, for health endpoints: every ARCP decision is a storage write, so a node that
/// cannot reach storage cannot serve. One cheap table listing (one entry) under a short timeout.
/// </summary>
public sealed partial class StorageProbe(TableServiceClient tables, ILogger<StorageProbe> logger)
{
    private static readonly TimeSpan s_probeTimeout = TimeSpan.FromSeconds(3);

    /// <summary>True when storage answered within the probe timeout.</summary>
    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_probeTimeout);
        try
        {
            await foreach (var _ in tables.QueryAsync(maxPerPage: 1, cancellationToken: timeout.Token).AsPages(pageSizeHint: 1).WithCancellation(timeout.Token).ConfigureAwait(false))
            {
                break;
            }

            return true;
        }
        catch (Exception ex) when (ex is global::Azure.RequestFailedException or OperationCanceledException or HttpRequestException or AggregateException)
        {
            LogUnreachable(logger, ex);
            return false;
        }
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Storage is not reachable")]
    private static partial void LogUnreachable(ILogger logger, Exception exception);
}

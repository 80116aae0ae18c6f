using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace Arcp.Azure.Storage;

/// <summary>The tables and the blob container of one runtime, named from <see cref="StorageOptions.TablePrefix"/>.</summary>
public sealed class ArcpStorage
{
    /// <summary>Creates the clients from a connection string; nothing is contacted until used.</summary>
    public ArcpStorage(string connectionString, string prefix)
        : this(new TableServiceClient(connectionString, TableTelemetryPolicy.WithTelemetry()), new BlobServiceClient(connectionString), prefix)
    {
    }

    /// <summary>Creates the clients from service clients (identity-based access); nothing is contacted until used.</summary>
    public ArcpStorage(TableServiceClient tables, BlobServiceClient blobs, string prefix)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        Jobs = tables.GetTableClient(prefix + "jobs");
        Sessions = tables.GetTableClient(prefix + "sessions");
        JobIndex = tables.GetTableClient(prefix + "jobindex");
        Idempotency = tables.GetTableClient(prefix + "idempotency");
        Credentials = tables.GetTableClient(prefix + "credentials");
        SweepIndex = tables.GetTableClient(prefix + "sweepindex");
        Payloads = blobs.GetBlobContainerClient(prefix.ToLowerInvariant() + "-payloads");
    }

    /// <summary>Job partitions: <c>state</c>, <c>input</c> and event pages.</summary>
    public TableClient Jobs { get; }

    /// <summary>Session partitions: <c>meta</c>, <c>seq</c>, subscriptions and outbox ranges.</summary>
    public TableClient Sessions { get; }

    /// <summary>Principal job index.</summary>
    public TableClient JobIndex { get; }

    /// <summary>Idempotency keys.</summary>
    public TableClient Idempotency { get; }

    /// <summary>Credential ledger.</summary>
    public TableClient Credentials { get; }

    /// <summary>
    /// Small rows naming the unfinished jobs, the finished jobs whose events are still kept, and the attached and
    /// detached sessions, so the sweeps read these instead of scanning the job and session tables.
    /// </summary>
    public TableClient SweepIndex { get; }

    /// <summary>Bodies too large for a table entity.</summary>
    public BlobContainerClient Payloads { get; }

    /// <summary>Creates every table and the container when missing.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(
            Jobs.CreateIfNotExistsAsync(cancellationToken),
            Sessions.CreateIfNotExistsAsync(cancellationToken),
            JobIndex.CreateIfNotExistsAsync(cancellationToken),
            Idempotency.CreateIfNotExistsAsync(cancellationToken),
            Credentials.CreateIfNotExistsAsync(cancellationToken),
            SweepIndex.CreateIfNotExistsAsync(cancellationToken),
            Payloads.CreateIfNotExistsAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Deletes every table and the container (tests).</summary>
    public async Task DeleteAllAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(
            Jobs.DeleteAsync(cancellationToken),
            Sessions.DeleteAsync(cancellationToken),
            JobIndex.DeleteAsync(cancellationToken),
            Idempotency.DeleteAsync(cancellationToken),
            Credentials.DeleteAsync(cancellationToken),
            SweepIndex.DeleteAsync(cancellationToken),
            Payloads.DeleteIfExistsAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}

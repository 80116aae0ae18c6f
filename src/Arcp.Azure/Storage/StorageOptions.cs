using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;

namespace Arcp.Azure.Storage;

/// <summary>Where the runtime keeps its state: one Azure Storage account (Azurite locally).</summary>
public sealed class StorageOptions
{
    /// <summary>The setting both hosts read the connection string from.</summary>
    public const string ConnectionSettingName = "AzureWebJobsStorage";

    /// <summary>A storage connection string; <c>UseDevelopmentStorage=true</c> selects Azurite on its default ports.</summary>
    public string? ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>
    /// Identity-based access (as the Functions host reads it: <c>AzureWebJobsStorage__accountName</c>): the account name.
    /// Used when no connection string is set; tokens come from the managed identity.
    /// </summary>
    public string? AccountName { get; set; }

    /// <summary>Client id of a user-assigned managed identity (<c>AzureWebJobsStorage__clientId</c>).</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// DNS suffix of the storage endpoints for identity-based access (<c>core.windows.net</c> in the public cloud,
    /// for example <c>core.chinacloudapi.cn</c> or <c>core.usgovcloudapi.net</c> in sovereign clouds). Explicit
    /// service URIs take precedence.
    /// </summary>
    public string EndpointSuffix { get; set; } = "core.windows.net";

    /// <summary>The blob endpoint for identity-based access (<c>AzureWebJobsStorage__blobServiceUri</c>), when not derived from the account name.</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary>The queue endpoint for identity-based access (<c>AzureWebJobsStorage__queueServiceUri</c>), when not derived from the account name.</summary>
    public Uri? QueueServiceUri { get; set; }

    /// <summary>The table endpoint for identity-based access (<c>AzureWebJobsStorage__tableServiceUri</c>), when not derived from the account name.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>Prefix of every table the runtime creates, so several runtimes can share one account.</summary>
    public string TablePrefix { get; set; } = "arcp";

    /// <summary>Whether the account is reached with a managed identity rather than a connection string.</summary>
    internal bool UsesIdentity => (AccountName is { Length: > 0 } || TableServiceUri is not null) && string.IsNullOrEmpty(ConnectionString);

    /// <summary>The endpoint of <paramref name="service"/> (<c>blob</c>, <c>queue</c>, <c>table</c>) for identity-based access.</summary>
    internal Uri ServiceUri(string service) => service switch
    {
        "blob" when BlobServiceUri is not null => BlobServiceUri,
        "queue" when QueueServiceUri is not null => QueueServiceUri,
        "table" when TableServiceUri is not null => TableServiceUri,
        _ when AccountName is { Length: > 0 } => new Uri($"https://{AccountName}.{service}.{EndpointSuffix.Trim('.')}"),
        _ => throw new InvalidOperationException($"Neither an account name nor a {service} service URI is configured."),
    };

    /// <summary>The table service client these options describe, with <paramref name="policies"/> in its pipeline.</summary>
    public TableServiceClient CreateTableServiceClient(IEnumerable<StorageClientPolicy>? policies = null)
    {
        var options = StorageClientPolicy.AddTo(TableTelemetryPolicy.WithTelemetry(), policies);
        return UsesIdentity
            ? new TableServiceClient(ServiceUri("table"), Credential(), options)
            : new TableServiceClient(ConnectionString, options);
    }

    /// <summary>The blob service client these options describe, with <paramref name="policies"/> in its pipeline.</summary>
    public BlobServiceClient CreateBlobServiceClient(IEnumerable<StorageClientPolicy>? policies = null)
    {
        var options = StorageClientPolicy.AddTo(new BlobClientOptions(), policies);
        return UsesIdentity
            ? new BlobServiceClient(ServiceUri("blob"), Credential(), options)
            : new BlobServiceClient(ConnectionString, options);
    }

    /// <summary>The managed identity of <see cref="ClientId"/> (or the default chain).</summary>
    internal DefaultAzureCredential Credential() => new(new DefaultAzureCredentialOptions { ManagedIdentityClientId = ClientId });
}

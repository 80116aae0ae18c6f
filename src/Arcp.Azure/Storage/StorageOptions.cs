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

    /// <summary>Prefix of every table the runtime creates, so several runtimes can share one account.</summary>
    public string TablePrefix { get; set; } = "arcp";

    /// <summary>Whether the account is reached with a managed identity rather than a connection string.</summary>
    internal bool UsesIdentity => AccountName is { Length: > 0 } && string.IsNullOrEmpty(ConnectionString);

    /// <summary>The table service client these options describe, with <paramref name="policies"/> in its pipeline.</summary>
    public TableServiceClient CreateTableServiceClient(IEnumerable<StorageClientPolicy>? policies = null)
    {
        var options = StorageClientPolicy.AddTo(TableTelemetryPolicy.WithTelemetry(), policies);
        return UsesIdentity
            ? new TableServiceClient(new Uri($"https://{AccountName}.table.core.windows.net"), Credential(), options)
            : new TableServiceClient(ConnectionString, options);
    }

    /// <summary>The blob service client these options describe, with <paramref name="policies"/> in its pipeline.</summary>
    public BlobServiceClient CreateBlobServiceClient(IEnumerable<StorageClientPolicy>? policies = null)
    {
        var options = StorageClientPolicy.AddTo(new BlobClientOptions(), policies);
        return UsesIdentity
            ? new BlobServiceClient(new Uri($"https://{AccountName}.blob.core.windows.net"), Credential(), options)
            : new BlobServiceClient(ConnectionString, options);
    }

    /// <summary>The managed identity of <see cref="ClientId"/> (or the default chain).</summary>
    internal DefaultAzureCredential Credential() => new(new DefaultAzureCredentialOptions { ManagedIdentityClientId = ClientId });
}

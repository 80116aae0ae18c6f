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

    /// <summary>The table service client these options describe.</summary>
    public TableServiceClient CreateTableServiceClient() => AccountName is { Length: > 0 } account && string.IsNullOrEmpty(ConnectionString)
        ? new TableServiceClient(new Uri($"https://{account}.table.core.windows.net"), Credential(), TableTelemetryPolicy.WithTelemetry())
        : new TableServiceClient(ConnectionString, TableTelemetryPolicy.WithTelemetry());

    /// <summary>The blob service client these options describe.</summary>
    public BlobServiceClient CreateBlobServiceClient() => AccountName is { Length: > 0 } account && string.IsNullOrEmpty(ConnectionString)
        ? new BlobServiceClient(new Uri($"https://{account}.blob.core.windows.net"), Credential())
        : new BlobServiceClient(ConnectionString);

    private DefaultAzureCredential Credential() => new(new DefaultAzureCredentialOptions { ManagedIdentityClientId = ClientId });
}

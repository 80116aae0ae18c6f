using Arcp.Azure.Credentials;
using Arcp.Azure.Idempotency;
using Arcp.Azure.Jobs;
using Arcp.Azure.Sessions;
using Arcp.Azure.Storage;
using Arcp.Runtime.Credentials;
using Arcp.Runtime.Delivery;
using Arcp.Runtime.Idempotency;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Sessions;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Arcp.Azure;

/// <summary>Registers the Azure adapters of the runtime.</summary>
public static class AzureServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="StorageOptions"/> from <c>AzureWebJobsStorage</c> and <c>Arcp:Storage</c>, and registers the
    /// Azure Tables adapters of every storage port, plus a hosted start-up step that creates the tables.
    /// </summary>
    public static IServiceCollection AddArcpAzureStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection("Arcp:Storage"))
            .Configure(o =>
            {
                var connection = configuration[StorageOptions.ConnectionSettingName];
                var identity = configuration.GetSection(StorageOptions.ConnectionSettingName);
                if (!string.IsNullOrWhiteSpace(connection))
                {
                    o.ConnectionString = connection;
                }
                else if (!string.IsNullOrWhiteSpace(identity["accountName"]) || !string.IsNullOrWhiteSpace(identity["tableServiceUri"]))
                {
                    // Identity-based, as the Functions host reads AzureWebJobsStorage__accountName (or the
                    // __blobServiceUri / __queueServiceUri / __tableServiceUri of any cloud) and __clientId.
                    o.ConnectionString = null;
                    o.AccountName = identity["accountName"];
                    o.ClientId = identity["clientId"];
                    o.BlobServiceUri = ServiceUri(identity["blobServiceUri"]) ?? o.BlobServiceUri;
                    o.QueueServiceUri = ServiceUri(identity["queueServiceUri"]) ?? o.QueueServiceUri;
                    o.TableServiceUri = ServiceUri(identity["tableServiceUri"]) ?? o.TableServiceUri;
                }
            })
            .Validate(
                o => !string.IsNullOrWhiteSpace(o.ConnectionString) || !string.IsNullOrWhiteSpace(o.AccountName) || (o.BlobServiceUri is not null && o.QueueServiceUri is not null && o.TableServiceUri is not null),
                $"{StorageOptions.ConnectionSettingName} (or its __accountName, or its __blobServiceUri, __queueServiceUri and __tableServiceUri) must be set.")
            .ValidateOnStart();

        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.CreateTableServiceClient(sp.GetServices<StorageClientPolicy>()));
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return new ArcpStorage(sp.GetRequiredService<TableServiceClient>(), options.CreateBlobServiceClient(sp.GetServices<StorageClientPolicy>()), options.TablePrefix);
        });
        services.TryAddSingleton<IJobStore, TableJobStore>();
        services.TryAddSingleton<ISessionStore, TableSessionStore>();
        services.TryAddSingleton<IPrincipalJobIndex, TablePrincipalJobIndex>();
        services.TryAddSingleton<IIdempotencyStore, TableIdempotencyStore>();
        services.TryAddSingleton<ICredentialLedger, TableCredentialLedger>();
        services.TryAddSingleton<IOutboxSyncMarks, TableOutboxSyncMarks>();
        services.TryAddSingleton<IPrincipalSlotStore, TablePrincipalSlotStore>();
        services.TryAddSingleton<Runtime.Delivery.IDeliveryLeaseStore, TableDeliveryLeaseStore>();
        services.AddHostedService<StorageInitializer>();
        return services;
    }

    private static Uri? ServiceUri(string? value) => Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : null;
}

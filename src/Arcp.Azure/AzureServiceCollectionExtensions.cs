using Arcp.Azure.Storage;
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
    /// Binds <see cref="StorageOptions"/> from <c>AzureWebJobsStorage</c> and <c>Arcp:Storage</c>, and registers the table service client.
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
                if (!string.IsNullOrWhiteSpace(connection))
                {
                    o.ConnectionString = connection;
                }
            })
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString), $"{StorageOptions.ConnectionSettingName} must be set.")
            .ValidateOnStart();

        services.TryAddSingleton(sp => new TableServiceClient(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString));
        return services;
    }
}

using Arcp.Azure;

namespace Arcp.Host.Health;

internal static class HealthEndpointExtensions
{
    public const string Path = "/healthz";

    public static IServiceCollection AddStorageHealthCheck(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddArcpAzureStorage(configuration);
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage");
        return services;
    }

    public static IEndpointConventionBuilder MapHealthEndpoint(this IEndpointRouteBuilder endpoints) => endpoints.MapHealthChecks(Path);
}

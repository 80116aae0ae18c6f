namespace Arcp.Host.Health;

internal static class HealthEndpointExtensions
{
    public const string Path = "/healthz";

    /// <summary>The storage probe behind <c>/healthz</c>; needs the storage registered by <c>AddArcpAzureRuntime</c>.</summary>
    public static IServiceCollection AddStorageHealthCheck(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage");
        return services;
    }

    public static IEndpointConventionBuilder MapHealthEndpoint(this IEndpointRouteBuilder endpoints) => endpoints.MapHealthChecks(Path);
}

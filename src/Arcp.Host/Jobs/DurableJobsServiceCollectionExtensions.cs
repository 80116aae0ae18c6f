using Arcp.Azure;

namespace Arcp.Host.Jobs;

internal static class DurableJobsServiceCollectionExtensions
{
    /// <summary>Jobs run as Durable Task orchestrations on this host's worker, with the sweeper repairing what crashes leave.</summary>
    public static IServiceCollection AddArcpDurableJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddArcpDurableTaskBackend(configuration);
        services.AddHostedService<JobSweeperService>();
        return services;
    }
}

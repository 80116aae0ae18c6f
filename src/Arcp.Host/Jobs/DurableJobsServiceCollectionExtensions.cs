using Arcp.Azure;
using Arcp.Runtime.Jobs.Sweeping;

namespace Arcp.Host.Jobs;

internal static class DurableJobsServiceCollectionExtensions
{
    /// <summary>Jobs run as Durable Task orchestrations on this host's worker, with the sweeper repairing what crashes leave.</summary>
    public static IServiceCollection AddArcpDurableJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddArcpDurableTaskBackend(configuration);
        services.AddOptions<JobSweeperOptions>()
            .Bind(configuration.GetSection("Arcp:Sweeper"))
            .Validate(o => o.Interval > TimeSpan.Zero && o.MaxJobsPerSweep > 0, "Arcp:Sweeper:Interval and MaxJobsPerSweep must be positive.")
            .ValidateOnStart();
        services.AddHostedService<JobSweeperService>();
        return services;
    }
}

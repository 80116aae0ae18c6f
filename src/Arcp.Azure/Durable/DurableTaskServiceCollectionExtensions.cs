using Arcp.Azure.Durable;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Jobs.Orchestration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Arcp.Azure;

/// <summary>Registers the local Durable Task backend (Azure Storage task hub) of the job scheduler.</summary>
public static class DurableTaskServiceCollectionExtensions
{
    private static readonly string[] s_quietCategories = ["DurableTask.Core", "DurableTask.AzureStorage", "Microsoft.DurableTask"];

    /// <summary>
    /// The scheduler only (<see cref="TaskHubJobScheduler"/>), for a process that submits and cancels jobs but runs
    /// none. Binds <see cref="DurableTaskOptions"/> from <c>Arcp:Durable</c>; needs <c>AddArcpAzureStorage</c>.
    /// </summary>
    public static IServiceCollection AddArcpDurableTaskClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DurableTaskOptions>()
            .Bind(configuration.GetSection(DurableTaskOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DurableTaskOptions>, DurableTaskOptionsValidator>());
        services.TryAddSingleton<DurableTaskHub>();
        services.TryAddSingleton(sp => new TaskHubJobScheduler(sp.GetRequiredService<DurableTaskHub>(), sp.GetService<IOptions<JobOrchestrationOptions>>()));
        services.TryAddSingleton<IJobScheduler>(sp => sp.GetRequiredService<TaskHubJobScheduler>());
        return services;
    }

    /// <summary>
    /// The scheduler plus a hosted Durable Task worker that runs jobs on this process. The job orchestration timing
    /// (<c>Arcp:Durable</c>) and how this worker runs agents (<c>Arcp:Jobs</c>) are bound once, by
    /// <c>AddArcpAzureRuntime</c>; this adds the check that the owner lease fits the backend's visibility timeout.
    /// </summary>
    public static IServiceCollection AddArcpDurableTaskBackend(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddArcpDurableTaskClient(configuration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JobRunnerOptions>, OwnerLeaseValidator>());
        services.AddHostedService<DurableTaskWorkerService>();

        // The backend logs every poll and message at Information; keep its warnings unless configuration asks for more.
        services.Configure<LoggerFilterOptions>(o =>
        {
            foreach (var category in s_quietCategories)
            {
                if (!o.Rules.Any(r => r.CategoryName == category))
                {
                    o.Rules.Insert(0, new LoggerFilterRule(null, category, LogLevel.Warning, null));
                }
            }
        });
        return services;
    }
}

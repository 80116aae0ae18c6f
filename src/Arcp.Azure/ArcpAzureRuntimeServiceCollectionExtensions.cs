using Arcp.Azure.Storage;
using Arcp.Azure.WebPubSub;
using Arcp.Runtime;
using Arcp.Runtime.Credentials;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Jobs.Orchestration;
using Arcp.Runtime.Jobs.Sweeping;
using Arcp.Runtime.Sessions;
using Arcp.Runtime.Sessions.Auth;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Arcp.Azure;

/// <summary>The one composition of the Azure-backed runtime, shared by every host (the local host, the Functions app, benchmarks).</summary>
public static class ArcpAzureRuntimeServiceCollectionExtensions
{
    /// <summary>Configuration section of the job orchestration timing (shared with the local Durable backend's settings).</summary>
    public const string DurableSection = "Arcp:Durable";

    /// <summary>Configuration section of how jobs run (<see cref="JobRunnerOptions"/>).</summary>
    public const string JobsSection = "Arcp:Jobs";

    /// <summary>Configuration section of the sweeper (<see cref="JobSweeperOptions"/>).</summary>
    public const string SweeperSection = "Arcp:Sweeper";

    /// <summary>
    /// Registers the runtime over Azure storage with every setting bound from <paramref name="configuration"/>:
    /// storage (<c>AzureWebJobsStorage</c>, <c>Arcp:Storage</c>), jobs (<c>Arcp:Jobs</c>), orchestration timing
    /// (<c>Arcp:Durable</c>), the sweeper (<c>Arcp:Sweeper</c>, validated at start), sessions (<c>Arcp:Sessions</c>),
    /// auth (<c>Arcp:Auth</c>), credentials (<c>Arcp:Credentials</c>; the scoped-bearer provisioner when its
    /// <c>Endpoint</c> is set) and the Web PubSub transport when <c>Arcp:WebPubSub:Endpoint</c> is set.
    /// A host adds only its own glue: agents, a job scheduler (the local Durable Task backend or the Functions Durable
    /// client), how its loops are driven, its transports' endpoints and telemetry.
    /// </summary>
    public static IServiceCollection AddArcpAzureRuntime(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddArcpRuntime();
        services.AddArcpAzureStorage(configuration);
        services.TryAddSingleton<StorageProbe>();

        services.AddOptions<JobRunnerOptions>()
            .Bind(configuration.GetSection(JobsSection))
            .Validate(o => o.MaxRuntimeCeilingSeconds is null or > 0, "Arcp:Jobs:MaxRuntimeCeilingSeconds must be positive when set.")
            .ValidateOnStart();
        services.AddOptions<JobOrchestrationOptions>().Bind(configuration.GetSection(DurableSection));
        services.AddOptions<JobSweeperOptions>()
            .Bind(configuration.GetSection(SweeperSection))
            .Validate(o => o.Interval > TimeSpan.Zero && o.MaxJobsPerSweep > 0, "Arcp:Sweeper:Interval and MaxJobsPerSweep must be positive.")
            .ValidateOnStart();
        services.Configure<ArcpSessionOptions>(configuration.GetSection("Arcp:Sessions"));
        services.Configure<AuthOptions>(configuration.GetSection("Arcp:Auth"));
        services.Configure<CredentialOptions>(configuration.GetSection("Arcp:Credentials"));
        if (!string.IsNullOrEmpty(configuration["Arcp:Credentials:Endpoint"]))
        {
            services.AddArcpScopedBearerCredentials();
        }

        services.AddArcpWebPubSub(configuration);
        return services;
    }
}

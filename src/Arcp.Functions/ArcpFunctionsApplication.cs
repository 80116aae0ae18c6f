using Arcp.Agents;
using Arcp.Azure;
using Arcp.Functions.Jobs;
using Arcp.Functions.Telemetry;
using Arcp.Runtime.Jobs;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Arcp.Functions;

/// <summary>
/// Composes the Functions app. A project of its own (with its own agents) that references this one gets the same
/// functions and calls <see cref="AddArcp"/> from its <c>Program</c>, then registers its agents.
/// </summary>
public static class ArcpFunctionsApplication
{
    /// <summary>
    /// The shared Azure runtime composition (<c>AddArcpAzureRuntime</c>, as in <c>Arcp.Host</c>) plus this app's glue:
    /// the Durable extension runs the jobs, and the scheduler works over the Durable client each function binds.
    /// </summary>
    public static FunctionsApplicationBuilder AddArcp(this FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ConfigureServices(builder.Services, builder.Configuration);
        return builder;
    }

    /// <summary>The app's services, apart from the Functions worker's own (see <see cref="AddArcp"/>).</summary>
    public static IServiceCollection ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddArcpAzureRuntime(configuration);
        services.AddArcpBuiltInAgents(configuration);
        services.TryAddSingleton<AmbientJobScheduler>();
        services.TryAddSingleton<IJobScheduler>(sp => sp.GetRequiredService<AmbientJobScheduler>());
        services.AddArcpTelemetry(configuration);
        return services;
    }
}

using Arcp.Agents;
using Arcp.Azure;
using Arcp.Azure.WebPubSub;
using Arcp.Functions.Jobs;
using Arcp.Functions.Telemetry;
using Arcp.Runtime;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Jobs.Orchestration;
using Arcp.Runtime.Jobs.Sweeping;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Functions;

/// <summary>
/// Composes the Functions app. A project of its own (with its own agents) that references this one gets the same
/// functions and calls <see cref="AddArcp"/> from its <c>Program</c>, then registers its agents.
/// </summary>
public static class ArcpFunctionsApplication
{
    /// <summary>
    /// The same composition as <c>Arcp.Host</c>; the Durable extension replaces the local task hub worker, and the
    /// scheduler is a <see cref="DurableTaskClientJobScheduler"/> over the client each function binds.
    /// </summary>
    public static FunctionsApplicationBuilder AddArcp(this FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddArcpRuntime();
        builder.Services.AddArcpAzureStorage(builder.Configuration);
        builder.Services.AddArcpBuiltInAgents(builder.Configuration);
        builder.Services.AddOptions<JobOrchestrationOptions>().Bind(builder.Configuration.GetSection("Arcp:Durable"));
        builder.Services.AddOptions<JobRunnerOptions>().Bind(builder.Configuration.GetSection("Arcp:Jobs"));
        builder.Services.AddOptions<JobSweeperOptions>().Bind(builder.Configuration.GetSection("Arcp:Sweeper"));
        builder.Services.Configure<Arcp.Runtime.Sessions.ArcpSessionOptions>(builder.Configuration.GetSection("Arcp:Sessions"));
        builder.Services.Configure<Arcp.Runtime.Sessions.Auth.AuthOptions>(builder.Configuration.GetSection("Arcp:Auth"));
        builder.Services.AddSingleton<IJobScheduler, AmbientJobScheduler>();
        builder.Services.AddArcpWebPubSub(builder.Configuration);
        builder.Services.AddArcpTelemetry(builder.Configuration);
        return builder;
    }
}

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
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

// The same composition as Arcp.Host; the Durable extension replaces the local task hub worker, and the scheduler is
// a DurableTaskClientJobScheduler over the client each function binds.
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

builder.Build().Run();

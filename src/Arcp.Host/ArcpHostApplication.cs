using Arcp.Agents;
using Arcp.Azure;
using Arcp.Host.Configuration;
using Arcp.Host.Development;
using Arcp.Host.Jobs;
using Arcp.Host.Health;
using Arcp.Host.Sessions;
using Arcp.Host.Telemetry;

namespace Arcp.Host;

/// <summary>Composes the local host: configuration contract, services and endpoints.</summary>
public static class ArcpHostApplication
{
    /// <summary>Builds the host from command-line arguments (<c>--urls</c> and any <c>--Key=Value</c> setting).</summary>
    public static WebApplication Build(string[] args) => Build(args, configureServices: null);

    /// <summary>
    /// Builds the host from command-line arguments; <paramref name="configureServices"/> runs after the standard
    /// registrations (extra agents, middleware through an <c>IStartupFilter</c>).
    /// </summary>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot") });
        builder.Configuration.AddLocalSettingsAsLowestPrecedence(
            LocalSettingsConfigurationExtensions.FindSettingsFile(builder.Environment.ContentRootPath));

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        ConfigureServices(builder.Services, builder.Configuration);
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapHealthEndpoint();
        app.MapArcpWebSocket();
        app.MapArcpWebPubSub();
        app.UseArcpDevelopmentToken();
        app.Lifetime.ApplicationStarted.Register(() => Log.Listening(app.Logger, app.Urls));
        return app;
    }

    /// <summary>
    /// The host's services: the shared Azure runtime composition (<c>AddArcpAzureRuntime</c>) plus this host's glue —
    /// built-in agents, the local Durable Task worker and the loops that drive the sweepers, the WebSocket endpoint,
    /// the development token, the storage health check and telemetry.
    /// </summary>
    internal static void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddArcpAzureRuntime(configuration);
        services.AddStorageHealthCheck();
        services.AddArcpBuiltInAgents(configuration);
        services.AddArcpDurableJobs(configuration);
        services.AddArcpWebSocketSessions();
        services.AddArcpDevelopmentToken(configuration);
        if (!string.IsNullOrEmpty(configuration["Arcp:WebPubSub:Endpoint"]))
        {
            services.AddHostedService<WebPubSubSweeperService>();
        }

        // Every background loop supervises itself; should one still fail, it must not take the host (and its jobs) down.
        services.Configure<HostOptions>(o => o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.Ignore);
        services.AddArcpTelemetry(configuration);
    }
}

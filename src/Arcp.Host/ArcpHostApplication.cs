using Arcp.Agents;
using Arcp.Azure.WebPubSub;
using Arcp.Host.Configuration;
using Arcp.Host.Development;
using Arcp.Host.Jobs;
using Arcp.Runtime;
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
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddStorageHealthCheck(builder.Configuration);
        builder.Services.AddArcpRuntime();
        builder.Services.AddArcpBuiltInAgents(builder.Configuration);
        builder.Services.AddArcpDurableJobs(builder.Configuration);
        builder.Services.AddArcpWebSocketSessions(builder.Configuration);
        builder.Services.AddArcpDevelopmentToken(builder.Configuration);
        builder.Services.AddArcpWebPubSub(builder.Configuration);
        builder.Services.Configure<Arcp.Runtime.Credentials.CredentialOptions>(builder.Configuration.GetSection("Arcp:Credentials"));
        if (!string.IsNullOrEmpty(builder.Configuration["Arcp:Credentials:Endpoint"]))
        {
            builder.Services.AddArcpScopedBearerCredentials();
        }

        builder.Services.AddHostedService<WebPubSubSweeperService>();
        // Every background loop supervises itself; should one still fail, it must not take the host (and its jobs) down.
        builder.Services.Configure<HostOptions>(o => o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.Ignore);
        builder.Services.AddArcpTelemetry(builder.Configuration);

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
}

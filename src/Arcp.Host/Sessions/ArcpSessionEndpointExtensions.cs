using Arcp.Runtime.Sessions;
using Arcp.Runtime.Sessions.Auth;

namespace Arcp.Host.Sessions;

internal static class ArcpSessionEndpointExtensions
{
    public const string Path = "/arcp";

    /// <summary>Binds session and auth settings (<c>Arcp:Sessions</c>, <c>Arcp:Auth</c>) and the connection handler.</summary>
    public static IServiceCollection AddArcpWebSocketSessions(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ArcpSessionOptions>(configuration.GetSection("Arcp:Sessions"));
        services.Configure<AuthOptions>(configuration.GetSection("Arcp:Auth"));
        services.AddSingleton<ArcpWebSocketHandler>();
        return services;
    }

    public static IEndpointConventionBuilder MapArcpWebSocket(this WebApplication app)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        return app.Map(Path, context => context.RequestServices.GetRequiredService<ArcpWebSocketHandler>().HandleAsync(context));
    }
}

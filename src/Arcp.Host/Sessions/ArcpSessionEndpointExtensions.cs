namespace Arcp.Host.Sessions;

internal static class ArcpSessionEndpointExtensions
{
    public const string Path = "/arcp";

    /// <summary>The connection handler of <c>/arcp</c> (session and auth settings are bound by <c>AddArcpAzureRuntime</c>).</summary>
    public static IServiceCollection AddArcpWebSocketSessions(this IServiceCollection services)
    {
        services.AddSingleton<ArcpWebSocketHandler>();
        return services;
    }

    public static IEndpointConventionBuilder MapArcpWebSocket(this WebApplication app)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        return app.Map(Path, context => context.RequestServices.GetRequiredService<ArcpWebSocketHandler>().HandleAsync(context));
    }
}

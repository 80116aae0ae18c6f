using Arcp.Azure.WebPubSub;

namespace Arcp.Host.Sessions;

internal static class WebPubSubEndpointExtensions
{
    /// <summary>Maps <c>/api/negotiate</c> and <c>/api/webpubsub</c> — the same handlers the Functions app runs — when Web PubSub is configured.</summary>
    public static WebApplication MapArcpWebPubSub(this WebApplication app)
    {
        if (app.Services.GetService<WebPubSubUpstreamHandler>() is null)
        {
            return app;
        }

        app.MapGet("/api/negotiate", context => context.RequestServices.GetRequiredService<NegotiateHandler>().HandleAsync(context));
        app.MapMethods("/api/webpubsub", ["OPTIONS", "POST"], context => context.RequestServices.GetRequiredService<WebPubSubUpstreamHandler>().HandleAsync(context));
        return app;
    }
}

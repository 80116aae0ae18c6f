using Arcp.Runtime.Delivery;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Arcp.Azure.WebPubSub;

/// <summary>Registers the Web PubSub transport when <c>Arcp:WebPubSub:Endpoint</c> is set.</summary>
public static class WebPubSubServiceCollectionExtensions
{
    /// <summary>Adds the REST client, the upstream and negotiate handlers and the ordered flusher; nothing when not configured.</summary>
    public static IServiceCollection AddArcpWebPubSub(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Arcp:WebPubSub");
        services.Configure<WebPubSubOptions>(section);
        if (string.IsNullOrEmpty(section["Endpoint"]))
        {
            return services;
        }

        services.TryAddSingleton(sp => new WebPubSubServiceClient(sp.GetRequiredService<IOptions<WebPubSubOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IConnectionHub>(sp => sp.GetRequiredService<WebPubSubServiceClient>());
        services.TryAddSingleton<WebPubSubOutboxFlusher>();
        services.AddSingleton<IOutboxObserver>(sp => sp.GetRequiredService<WebPubSubOutboxFlusher>());
        services.TryAddSingleton<InboundGuards>();
        services.TryAddSingleton<UpstreamTokenValidator>();
        services.AddHostedService<UpstreamTokenWarmup>();
        services.TryAddSingleton<WebPubSubUpstreamHandler>();
        services.TryAddSingleton<NegotiateHandler>();
        services.TryAddSingleton<WebPubSubSweeper>();
        return services;
    }
}

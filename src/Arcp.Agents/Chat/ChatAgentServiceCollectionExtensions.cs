using System.ClientModel;
using Arcp.Agents.Sdk;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenAI;

namespace Arcp.Agents.Chat;

/// <summary>Registers the <c>chat</c> agent.</summary>
public static class ChatAgentServiceCollectionExtensions
{
    /// <summary>
    /// Adds <c>chat@1.0.0</c> on an OpenAI-compatible endpoint when <c>Arcp:Agents:Chat:Endpoint</c> is set; does
    /// nothing otherwise. Bad settings (an endpoint that is not an absolute http(s) URL, negative prices) fail at start-up.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is null.</exception>
    public static IServiceCollection AddArcpChatAgent(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(ChatAgentOptions.SectionName);
        if (string.IsNullOrWhiteSpace(section[nameof(ChatAgentOptions.Endpoint)]))
        {
            return services;
        }

        services.AddOptions<ChatAgentOptions>()
            .Bind(section)
            .Validate(o => Uri.TryCreate(o.Endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps), "Arcp:Agents:Chat:Endpoint must be an absolute http(s) URL.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Model), "Arcp:Agents:Chat:Model must not be empty.")
            .Validate(o => o.InputPricePer1K is null or >= 0 && o.OutputPricePer1K is null or >= 0, "Arcp:Agents:Chat prices must not be negative.")
            .Validate(o => o.MaxTurns > 0 && o.MaxOutputTokens > 0, "Arcp:Agents:Chat:MaxTurns and MaxOutputTokens must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton(ChatAgent.ServiceKey, (sp, _) => CreateClient(sp.GetRequiredService<IOptions<ChatAgentOptions>>().Value));
        return services.AddArcpAgent(
            "chat",
            "1.0.0",
            sp => new ChatAgent(sp.GetRequiredKeyedService<IChatClient>(ChatAgent.ServiceKey), sp.GetRequiredService<IOptions<ChatAgentOptions>>(), sp.GetRequiredService<TimeProvider>()),
            isDefault: true);
    }

    private static IChatClient CreateClient(ChatAgentOptions options)
    {
        // Local OpenAI-compatible servers often take no key; the client library insists on one.
        var key = string.IsNullOrEmpty(options.ApiKey) ? "no-key" : options.ApiKey;
        var client = new OpenAIClient(new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = new Uri(options.Endpoint!) });
        return client.GetChatClient(options.Model).AsIChatClient();
    }
}

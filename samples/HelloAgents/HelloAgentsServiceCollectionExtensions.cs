using System.ClientModel;
using Arcp.Agents.Sdk;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;

namespace HelloAgents;

/// <summary>Registers this project's agents — one call, the same in <c>Arcp.Host</c> and in the Functions app.</summary>
public static class HelloAgentsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <c>greeter@1.0.0</c> and <c>assistant@1.0.0</c> (the Agent Framework agent; its model endpoint comes from
    /// <c>HelloAgents:Assistant:Endpoint</c>, <c>:ApiKey</c> and <c>:Model</c>, read when a job runs).
    /// </summary>
    public static IServiceCollection AddHelloAgents(this IServiceCollection services)
    {
        services.AddArcpAgent<GreeterAgent>("greeter", "1.0.0", isDefault: true);
        services.AddArcpAgent("assistant", "1.0.0", sp =>
        {
            var settings = sp.GetRequiredService<IConfiguration>().GetSection("HelloAgents:Assistant");
            var endpoint = settings["Endpoint"] ?? throw new InvalidOperationException("HelloAgents:Assistant:Endpoint is not set.");
            var model = settings["Model"] ?? "gpt-4o-mini";
            var chatClient = new OpenAIClient(new ApiKeyCredential(settings["ApiKey"] ?? "no-key"), new OpenAIClientOptions { Endpoint = new Uri(endpoint) })
                .GetChatClient(model)
                .AsIChatClient();
            return CreateAssistant(chatClient, model);
        }, isDefault: true);
        return services;
    }

    /// <summary>The <c>assistant</c> agent over any chat client (tests pass a fake one).</summary>
    public static AgentFrameworkAgent CreateAssistant(IChatClient chatClient, string model) =>
        new(new ChatClientAgent(chatClient, instructions: "You are a concise assistant.", name: "assistant"), model);
}

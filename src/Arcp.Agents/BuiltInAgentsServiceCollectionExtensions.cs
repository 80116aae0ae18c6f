using Arcp.Agents.Chat;
using Arcp.Agents.Sdk;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Agents;

/// <summary>Registers the built-in agents.</summary>
public static class BuiltInAgentsServiceCollectionExtensions
{
    /// <summary>Adds <c>echo</c>, <c>countdown</c>, <c>burst</c>, <c>report</c>, <c>research</c>, <c>delegator</c> and, on request, <c>flaky</c> (version 1.0.0, the default).</summary>
    /// <remarks><c>flaky</c> kills the process it runs in, so it is registered only when <paramref name="includeFlaky"/> is true (setting <c>Arcp:Agents:EnableFlaky</c>).</remarks>
    public static IServiceCollection AddArcpBuiltInAgents(this IServiceCollection services, bool includeFlaky = false)
    {
        services.AddArcpAgent<EchoAgent>("echo", "1.0.0", isDefault: true);
        services.AddArcpAgent<CountdownAgent>("countdown", "1.0.0", isDefault: true);
        services.AddArcpAgent<BurstAgent>("burst", "1.0.0", isDefault: true);
        services.AddArcpAgent<ReportAgent>("report", "1.0.0", isDefault: true);
        services.AddArcpAgent<ResearchAgent>("research", "1.0.0", isDefault: true);
        services.AddArcpAgent<DelegatorAgent>("delegator", "1.0.0", isDefault: true);
        if (includeFlaky)
        {
            services.AddArcpAgent<FlakyAgent>("flaky", "1.0.0", isDefault: true);
        }

        return services;
    }

    /// <summary>
    /// Adds the built-in agents as both hosts configure them: <c>flaky</c> only with <c>Arcp:Agents:EnableFlaky=true</c>,
    /// <c>chat</c> only when <c>Arcp:Agents:Chat:Endpoint</c> is set.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="configuration"/> is null.</exception>
    public static IServiceCollection AddArcpBuiltInAgents(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddArcpBuiltInAgents(string.Equals(configuration["Arcp:Agents:EnableFlaky"], "true", StringComparison.OrdinalIgnoreCase));
        return services.AddArcpChatAgent(configuration);
    }
}

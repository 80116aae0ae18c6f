using Arcp.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Agents;

/// <summary>Registers the built-in agents.</summary>
public static class BuiltInAgentsServiceCollectionExtensions
{
    /// <summary>Adds <c>echo</c>, <c>countdown</c> and <c>burst</c> (version 1.0.0, the default).</summary>
    public static IServiceCollection AddArcpBuiltInAgents(this IServiceCollection services)
    {
        services.AddArcpAgent<EchoAgent>("echo", "1.0.0", isDefault: true);
        services.AddArcpAgent<CountdownAgent>("countdown", "1.0.0", isDefault: true);
        services.AddArcpAgent<BurstAgent>("burst", "1.0.0", isDefault: true);
        return services;
    }
}

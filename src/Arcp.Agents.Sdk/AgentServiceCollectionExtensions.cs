using Microsoft.Extensions.DependencyInjection;

namespace Arcp.Agents.Sdk;

/// <summary>Registers agents with whichever ARCP host composes the service collection (<c>Arcp.Host</c>, the Functions app, tests).</summary>
public static class AgentServiceCollectionExtensions
{
    /// <summary>
    /// Registers an agent version; <typeparamref name="TAgent"/> is created per run from the container, so its
    /// constructor may take any registered service. Names and duplicate versions are checked when the host starts.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="version"/> is empty.</exception>
    public static IServiceCollection AddArcpAgent<TAgent>(this IServiceCollection services, string name, string version, bool isDefault = false)
        where TAgent : class, IAgent =>
        services.AddArcpAgent(name, version, sp => ActivatorUtilities.CreateInstance<TAgent>(sp), isDefault);

    /// <summary>Registers an agent version created per run by <paramref name="factory"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="factory"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="version"/> is empty.</exception>
    public static IServiceCollection AddArcpAgent(this IServiceCollection services, string name, string version, Func<IServiceProvider, IAgent> factory, bool isDefault = false)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(version);
        ArgumentNullException.ThrowIfNull(factory);
        services.AddSingleton(new AgentRegistration(name, version, isDefault, factory));
        return services;
    }
}

using Arcp.Runtime.Agents;
using Arcp.Runtime.Credentials;
using Arcp.Runtime.Delivery;
using Arcp.Runtime.Idempotency;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Jobs.Orchestration;
using Arcp.Runtime.Jobs.Sweeping;
using Arcp.Runtime.Sessions;
using Arcp.Runtime.Sessions.Auth;
using Arcp.Runtime.Sessions.Handlers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Arcp.Runtime;

/// <summary>Registers the ARCP runtime.</summary>
public static class RuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Adds the runtime services (job service, runner, delivery). Storage ports and a scheduler come from an adapter
    /// package (<c>AddArcpAzureStorage</c>, the Durable Task backend) or <see cref="AddArcpInMemoryStorage"/> and
    /// <see cref="AddArcpInProcessScheduler"/>.
    /// </summary>
    public static IServiceCollection AddArcpRuntime(this IServiceCollection services, Action<JobRunnerOptions>? configureRunner = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new AgentCatalog(sp.GetServices<AgentRegistration>()));
        services.TryAddSingleton<SignalHub>();
        services.TryAddSingleton<OutboxFanout>();
        services.TryAddSingleton<OutboxSyncRepair>();
        services.TryAddSingleton<OutboxReader>();
        services.TryAddSingleton<JobStopSignals>();
        services.TryAddSingleton<JobTerminals>();
        services.TryAddSingleton<JobRunner>();
        services.TryAddSingleton<JobService>();
        services.TryAddSingleton<IChildJobSubmitter>(sp => sp.GetRequiredService<JobService>());
        services.TryAddSingleton<SessionCap>();
        services.TryAddSingleton<OutboxPump>();
        services.TryAddSingleton<DeliveryLease>();
        services.TryAddSingleton<ISecretProtector, AesGcmSecretProtector>();
        services.TryAddSingleton<CredentialService>();
        services.AddOptions<CredentialOptions>();
        AddSessionHandlers(services);
        services.TryAddSingleton<SessionDelivery>();
        services.TryAddSingleton<HeartbeatMonitor>();
        services.TryAddSingleton<IBearerAuthenticator, Sessions.Auth.BearerAuthenticator>();
        services.AddOptions<ArcpSessionOptions>();
        services.AddOptions<Sessions.Auth.AuthOptions>();
        services.TryAddSingleton<JobSweeper>();
        services.TryAddSingleton<RetentionSweeper>();
        services.TryAddTransient<JobOrchestrator>();
        services.TryAddTransient<RunAgentActivity>();
        services.TryAddTransient<FinishJobActivity>();
        services.TryAddTransient<RevokeCredentialsActivity>();
        services.AddOptions<JobOrchestrationOptions>();
        services.AddOptions<JobSweeperOptions>();
        var options = services.AddOptions<JobRunnerOptions>();
        if (configureRunner is not null)
        {
            options.Configure(configureRunner);
        }

        return services;
    }

    /// <summary>The session entry and its handlers, one per inbound message type (or tight family).</summary>
    private static void AddSessionHandlers(IServiceCollection services)
    {
        services.TryAddSingleton<SessionSender>();
        services.TryAddSingleton<SessionDetacher>();
        services.TryAddSingleton<BackPressureSignal>();
        services.TryAddSingleton<SessionWelcomes>();
        services.TryAddSingleton<SessionResumption>();
        services.TryAddEnumerable(
        [
            ServiceDescriptor.Singleton<IMessageHandler, SessionHelloHandler>(),
            ServiceDescriptor.Singleton<IMessageHandler, SessionResumeHandler>(),
            ServiceDescriptor.Singleton<IMessageHandler, SessionPingHandler>(),
            ServiceDescriptor.Singleton<IMessageHandler, SessionPongHandler>(),
            ServiceDescriptor.Singleton<IMessageHandler, SessionAckHandler>(),
            ServiceDescriptor.Singleton<IMessageHandler, SessionListJobsHandler>(),
            ServiceDescriptor.Singleton<IMessageHandler, SessionCloseHandler>(),
            ServiceDescriptor.Singleton<IMessageHandler, JobSubmitHandler>(),
            ServiceDescriptor.Singleton<IMessageHandler, JobCancelHandler>(),
            ServiceDescriptor.Singleton<IMessageHandler, JobSubscribeHandler>(),
            ServiceDescriptor.Singleton<IMessageHandler, JobUnsubscribeHandler>(),
        ]);

        // The constructor is internal (its handlers are), so the container is given the call.
        services.TryAddSingleton(sp => new SessionService(
            sp.GetServices<IMessageHandler>(),
            sp.GetRequiredService<SessionSender>(),
            sp.GetRequiredService<SessionDetacher>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ArcpSessionOptions>>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<SessionService>>()));
    }

    /// <summary>
    /// The built-in scoped-bearer provisioner (tests, demos): issues credentials for <c>Arcp:Credentials:Endpoint</c>
    /// and turns on <c>provisioned_credentials</c>.
    /// </summary>
    public static IServiceCollection AddArcpScopedBearerCredentials(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ScopedBearerProvisioner>();
        services.TryAddSingleton<ICredentialProvisioner>(sp => sp.GetRequiredService<ScopedBearerProvisioner>());
        return services;
    }

    /// <summary>In-memory storage ports, for tests and throwaway runs.</summary>
    public static IServiceCollection AddArcpInMemoryStorage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IJobStore>(sp => new InMemoryJobStore(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ISessionStore, InMemorySessionStore>();
        services.TryAddSingleton<IPrincipalJobIndex, InMemoryPrincipalJobIndex>();
        services.TryAddSingleton<IIdempotencyStore, InMemoryIdempotencyStore>();
        services.TryAddSingleton<ICredentialLedger, InMemoryCredentialLedger>();
        services.TryAddSingleton<IOutboxSyncMarks, InMemoryOutboxSyncMarks>();
        services.TryAddSingleton<IPrincipalSlotStore, InMemoryPrincipalSlotStore>();
        services.TryAddSingleton<IDeliveryLeaseStore, InMemoryDeliveryLeaseStore>();
        return services;
    }

    /// <summary>
    /// Runs jobs on this process without a durable orchestration. <see cref="InProcessJobWorker"/> is a hosted service;
    /// a container used without a host starts it itself.
    /// </summary>
    public static IServiceCollection AddArcpInProcessScheduler(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<InProcessJobScheduler>();
        services.TryAddSingleton<IJobScheduler>(sp => sp.GetRequiredService<InProcessJobScheduler>());
        services.TryAddSingleton<InProcessJobWorker>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, InProcessJobWorker>(sp => sp.GetRequiredService<InProcessJobWorker>()));
        return services;
    }
}

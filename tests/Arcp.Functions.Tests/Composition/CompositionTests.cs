using System.Text.Json;
using Arcp.Azure;
using Arcp.Azure.Storage;
using Arcp.Azure.WebPubSub;
using Arcp.Host;
using Arcp.Runtime.Credentials;
using Arcp.Runtime.Jobs;
using Arcp.Runtime.Jobs.Orchestration;
using Arcp.Runtime.Jobs.Sweeping;
using Arcp.Runtime.Sessions;
using Arcp.Runtime.Sessions.Auth;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Arcp.Functions.Tests.Composition;

/// <summary>
/// The Functions app and the local host compose the same runtime: every service of the shared composition resolves in
/// both, and every runtime setting binds to the same value in both. A setting bound (or a service added) in one host
/// only fails here.
/// </summary>
public sealed class CompositionTests
{
    /// <summary>Every runtime setting with a value other than its default.</summary>
    private static readonly Dictionary<string, string?> s_settings = new()
    {
        [StorageOptions.ConnectionSettingName] = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;QueueEndpoint=http://127.0.0.1:1/devstoreaccount1;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;",
        ["Arcp:Storage:TablePrefix"] = "drift",
        ["Arcp:Jobs:OwnerLease"] = "00:00:17",
        ["Arcp:Jobs:StatePollInterval"] = "00:00:03",
        ["Arcp:Jobs:MaxAttempts"] = "7",
        ["Arcp:Jobs:WorkerName"] = "drift-worker",
        ["Arcp:Jobs:MaxRuntimeCeilingSeconds"] = "3600",
        ["Arcp:Durable:CancelGracePeriod"] = "00:00:09",
        ["Arcp:Durable:RevokeMaxAttempts"] = "4",
        ["Arcp:Durable:FinishMaxAttempts"] = "5",
        ["Arcp:Sweeper:Interval"] = "00:00:45",
        ["Arcp:Sweeper:MaxJobsPerSweep"] = "77",
        ["Arcp:Sessions:HeartbeatIntervalSec"] = "12",
        ["Arcp:Sessions:MaxSessionsPerPrincipal"] = "9",
        ["Arcp:Auth:Tokens:tok-drift"] = "drift",
        ["Arcp:Auth:Jwt:Issuer"] = "https://issuer.test",
        ["Arcp:Credentials:Endpoint"] = "https://gateway.test/v1",
        ["Arcp:Credentials:Profile"] = "drift",
        ["Arcp:WebPubSub:Endpoint"] = "http://127.0.0.1:1",
        ["Arcp:WebPubSub:AccessKeys"] = "ZHJpZnQta2V5LWRyaWZ0LWtleS1kcmlmdC1rZXk=",
        ["Arcp:WebPubSub:Hub"] = "drifthub",
    };

    private static readonly Type[] s_optionTypes =
    [
        typeof(StorageOptions),
        typeof(JobRunnerOptions),
        typeof(JobOrchestrationOptions),
        typeof(JobSweeperOptions),
        typeof(ArcpSessionOptions),
        typeof(AuthOptions),
        typeof(CredentialOptions),
        typeof(WebPubSubOptions),
    ];

    [Fact]
    public async Task FunctionsAndHost_SharedComposition_EveryRuntimeServiceResolvesInBoth()
    {
        // Arrange: what the shared composition registers.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(s_settings).Build();
        var shared = new ServiceCollection().AddArcpAzureRuntime(configuration)
            .Select(d => d.ServiceType)
            .Where(t => !t.IsGenericTypeDefinition && t != typeof(IHostedService) && !IsOptionsPlumbing(t))
            .Distinct()
            .ToList();
        await using var functions = FunctionsServices();
        await using var host = HostServices();

        // Act / Assert
        Assert.NotEmpty(shared);
        foreach (var type in shared.Append(typeof(IJobScheduler)).Append(typeof(ICredentialProvisioner)).Append(typeof(StorageProbe)))
        {
            Assert.True(functions.Services.GetService(type) is not null, $"The Functions app does not resolve {type}.");
            Assert.True(host.Services.GetService(type) is not null, $"The host does not resolve {type}.");
        }
    }

    [Fact]
    public async Task FunctionsAndHost_SameConfiguration_EveryRuntimeSettingBindsAlike()
    {
        await using var functions = FunctionsServices();
        await using var host = HostServices();

        foreach (var type in s_optionTypes)
        {
            var inFunctions = Json(functions.Services, type);
            var inHost = Json(host.Services, type);
            var defaults = JsonSerializer.Serialize(Activator.CreateInstance(type), type);

            Assert.Equal(inHost, inFunctions);
            Assert.NotEqual(defaults, inFunctions);
        }
    }

    private static bool IsOptionsPlumbing(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var definition
        && (definition == typeof(IConfigureOptions<>) || definition == typeof(IPostConfigureOptions<>) || definition == typeof(IValidateOptions<>)
            || definition == typeof(IOptionsChangeTokenSource<>));

    private static string Json(IServiceProvider services, Type type)
    {
        var accessor = typeof(IOptions<>).MakeGenericType(type);
        var value = accessor.GetProperty("Value")!.GetValue(services.GetRequiredService(accessor));
        return JsonSerializer.Serialize(value, type);
    }

    private static Composed FunctionsServices()
    {
        // Locally the Functions host hands local.settings.json's values to the worker as environment variables, below
        // anything set explicitly, as the local host reads the same file.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(LocalSettings()).AddInMemoryCollection(s_settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        ArcpFunctionsApplication.ConfigureServices(services, configuration);
        return new Composed(services.BuildServiceProvider());
    }

    private static Dictionary<string, string?> LocalSettings()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Combine("local.settings.json")));
        return document.RootElement.GetProperty("Values").EnumerateObject()
            .ToDictionary(p => p.Name.Replace("__", ":", StringComparison.Ordinal), p => p.Value.GetString());
    }

    private static Composed HostServices()
    {
        var app = ArcpHostApplication.Build([.. s_settings.Select(kv => $"--{kv.Key}={kv.Value}")]);
        return new Composed(app);
    }

    private sealed class Composed(IAsyncDisposable owner) : IAsyncDisposable
    {
        public IServiceProvider Services => owner switch
        {
            IServiceProvider provider => provider,
            IHost host => host.Services,
            _ => throw new InvalidOperationException(),
        };

        public ValueTask DisposeAsync() => owner.DisposeAsync();
    }
}

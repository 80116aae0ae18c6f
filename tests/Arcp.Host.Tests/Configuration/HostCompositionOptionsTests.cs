using Arcp.Runtime.Jobs;
using Arcp.Runtime.Jobs.Orchestration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Arcp.Host.Tests.Configuration;

/// <summary>The host binds each settings section once: the shared composition binds the job options, the Durable backend does not again.</summary>
public sealed class HostCompositionOptionsTests
{
    [Fact]
    public void HostServices_BindJobAndOrchestrationOptionsOnce_AndStillReadTheirSections()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["Arcp:Jobs:OwnerLease"] = "00:00:20",
            ["Arcp:Durable:CancelGracePeriod"] = "00:00:03",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);

        ArcpHostApplication.ConfigureServices(services, configuration);

        Assert.Single(services, d => d.ServiceType == typeof(IOptionsChangeTokenSource<JobRunnerOptions>));
        Assert.Single(services, d => d.ServiceType == typeof(IOptionsChangeTokenSource<JobOrchestrationOptions>));
        using var provider = services.BuildServiceProvider();
        Assert.Equal(TimeSpan.FromSeconds(20), provider.GetRequiredService<IOptions<JobRunnerOptions>>().Value.OwnerLease);
        Assert.Equal(TimeSpan.FromSeconds(3), provider.GetRequiredService<IOptions<JobOrchestrationOptions>>().Value.CancelGracePeriod);
    }
}

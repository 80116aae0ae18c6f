using Arcp.Testing.Faults;
using Arcp.Testing.WebPubSub;
using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Arcp.Host.Tests.Faults;

/// <summary>Background sweeps that meet storage errors log, back off and go on; the host keeps serving.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SweeperSupervisionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task WebPubSubSweeper_SessionQueriesFailPastSdkRetries_HostKeepsRunningAndSweepsResume()
    {
        // Arrange: Web PubSub on (so its sweeper runs every second); reads of the session table go through a schedule.
        await using var service = await WebPubSubStandIn.StartAsync();
        var prefix = "w" + Guid.NewGuid().ToString("N")[..10];
        var schedule = new FaultSchedule(new FaultScheduleOptions());
        var policy = new FaultInjectionPolicy(schedule)
        {
            AppliesTo = r => r.Method == RequestMethod.Get && r.Uri.Path.Contains("/" + prefix + "sessions", StringComparison.Ordinal),
        };
        await using var host = await ArcpTestHost.StartAsync(
            azurite.ConnectionString,
            prefix,
            services => services.AddSingleton(policy.ForRuntime()),
            $"--Arcp:WebPubSub:Endpoint={service.Endpoint}",
            $"--Arcp:WebPubSub:AccessKeys={service.AccessKey}");
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();

        // Act: an outage long enough for the SDK to give up on two sweeps' session listings.
        schedule.BeginOutage();
        await Eventually.WaitUntilAsync(() => schedule.Count(FaultKind.Outage) >= 8, TimeSpan.FromSeconds(60));
        schedule.EndOutage();
        var answeredBefore = schedule.Count(FaultKind.None);
        await Eventually.WaitUntilAsync(() => schedule.Count(FaultKind.None) >= answeredBefore + 3, TimeSpan.FromSeconds(60));

        // Assert: sweeps went on after the outage, and nothing stopped the host.
        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested);
        using var http = new HttpClient { BaseAddress = host.Address };
        using var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.True(health.IsSuccessStatusCode);
    }
}

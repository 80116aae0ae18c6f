using Arcp.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Arcp.Dashboard.Tests;

/// <summary>The page outlives its server: the host stops and starts again on the same port and storage.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DashboardRestartTests(AzuriteFixture azurite, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private readonly string _tablePrefix = "d" + Guid.NewGuid().ToString("N")[..10];
    private readonly string[] _settings =
    [
        "--Arcp:Durable:TaskHubName=dash" + Guid.NewGuid().ToString("N")[..10],
        "--Arcp:Durable:WorkItemQueueVisibilityTimeout=00:00:05",
        "--Arcp:Durable:ControlQueueVisibilityTimeout=00:00:05",
        "--Arcp:Jobs:OwnerLease=00:00:05",
        "--Arcp:Jobs:StatePollInterval=00:00:00.200",
    ];

    private ArcpTestHost? _host;
    private IPage _page = null!;

    public async Task InitializeAsync()
    {
        _host = await ArcpTestHost.StartAsync(azurite.ConnectionString, _tablePrefix, _settings);
        _page = await browser.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await _page.Context.CloseAsync();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [Fact]
    public async Task ServerRestartedMidJob_PageReconnectsResumesAndShowsTheFinalStatus()
    {
        var dashboard = new DashboardPage(_page);
        var address = _host!.Address;
        await dashboard.OpenAndSignInAsync(address);
        var sessionId = await dashboard.SessionId.TextContentAsync();

        var jobId = await dashboard.SubmitAsync("countdown", """{"steps":30,"interval_ms":200}""");
        var row = dashboard.Row(jobId);
        await Expect(row.GetByTestId("job-progress-text")).ToContainTextAsync("/30", new() { Timeout = 60_000 });

        await _host.DisposeAsync();
        _host = null;
        await Expect(dashboard.ConnectionStatus).Not.ToHaveTextAsync("connected", new() { Timeout = 30_000 });
        await BrowserFixture.ScreenshotAsync(_page, "restart-disconnected");

        _host = await ArcpTestHost.StartAsync(azurite.ConnectionString, _tablePrefix, [.. _settings, $"--urls={address.GetLeftPart(UriPartial.Authority)}"]);
        Assert.Equal(address, _host.Address);

        await Expect(dashboard.ConnectionStatus).ToHaveTextAsync("connected", DashboardPage.Slow);
        await Expect(dashboard.ConnectionStatus).ToHaveAttributeAsync("data-resumed", "true");
        await Expect(dashboard.SessionId).ToHaveTextAsync(sessionId!);
        await Expect(row.GetByTestId("job-status")).ToHaveTextAsync("success", new() { Timeout = 120_000 });
        await Expect(row.GetByTestId("job-progress-text")).ToHaveTextAsync("100% (30/30)");

        // The resumed session is fully usable: a new job runs to its end.
        var after = await dashboard.SubmitAsync("echo", """{"hello":"again"}""");
        await Expect(dashboard.Row(after).GetByTestId("job-status")).ToHaveTextAsync("success", DashboardPage.Slow);
        await BrowserFixture.ScreenshotAsync(_page, "restart-resumed");

        // Nothing was lost or repeated across the restart: progress 1..30 exactly once each.
        await row.ClickAsync();
        await Expect(dashboard.EventLog).ToHaveAttributeAsync("data-job-id", jobId);
        var progress = await dashboard.EventLog.Locator("[data-kind=progress]").AllTextContentsAsync();
        Assert.Equal(30, progress.Count);
    }
}

using Arcp.Testing;
using Microsoft.Playwright;

namespace Arcp.Dashboard.Tests;

/// <summary>Base of the suites that drive the dashboard of one in-process host in one browser page.</summary>
public abstract class HostedDashboardTests(AzuriteFixture azurite, BrowserFixture browser) : IAsyncLifetime
{
    protected ArcpTestHost Host { get; private set; } = null!;

    protected IPage Page { get; private set; } = null!;

    protected BrowserFixture Browser => browser;

    public async Task InitializeAsync()
    {
        Host = await ArcpTestHost.StartAsync(azurite.ConnectionString);
        Page = await browser.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await Page.Context.CloseAsync();
        await Host.DisposeAsync();
    }
}

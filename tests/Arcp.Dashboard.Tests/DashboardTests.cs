using Arcp.Testing;
using Arcp.Protocol.Messages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Arcp.Dashboard.Tests;

/// <summary>The dashboard served by the real host, driven in a real browser.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DashboardTests(AzuriteFixture azurite, BrowserFixture browser) : HostedDashboardTests(azurite, browser), IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task SignIn_AgentsFromWelcome_SubmitCountdown_ProgressReaches100AndSuccess()
    {
        var dashboard = new DashboardPage(Page);
        await dashboard.OpenAndSignInAsync(Host.Address);

        var agents = await Page.GetByTestId("agent-select").Locator("option").EvaluateAllAsync<string[]>("options => options.map(o => o.value)");
        Assert.Contains("countdown", agents);
        Assert.Contains("echo", agents);
        Assert.Contains("burst", agents);
        await Expect(Page.GetByTestId("session-id")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^sess_"));

        var jobId = await dashboard.SubmitAsync("countdown", """{"steps":5,"interval_ms":100}""", budget: "USD:2.50");
        var row = dashboard.Row(jobId);

        await Expect(row.GetByTestId("job-status")).ToHaveTextAsync("success", DashboardPage.Slow);
        // Budget counters come from job.accepted.budget.
        await Expect(row.GetByTestId("job-budget")).ToHaveTextAsync("USD 2.5");
        await Expect(row.GetByTestId("job-progress")).ToHaveAttributeAsync("data-percent", "100");
        await Expect(row.GetByTestId("job-progress-text")).ToHaveTextAsync("100% (5/5)");
        await Expect(row.GetByTestId("job-agent")).ToHaveTextAsync("countdown@1.0.0");
        await Expect(row.GetByTestId("cancel-job")).ToBeHiddenAsync();
        // The submitted job is selected: its log holds the five progress events in order, then the result.
        await Expect(dashboard.EventLog).ToHaveAttributeAsync("data-job-id", jobId);
        var log = await dashboard.EventLog.GetByTestId("event").AllTextContentsAsync();
        Assert.Equal(6, log.Count);
        for (var i = 1; i <= 5; i++)
        {
            Assert.StartsWith("[progress]", log[i - 1], StringComparison.Ordinal);
            Assert.Contains($"\"current\":{i}", log[i - 1], StringComparison.Ordinal);
        }

        Assert.Equal("[result] {\"steps\":5}", log[5]);
        await BrowserFixture.ScreenshotAsync(Page, "countdown-success");

        var stored = await Host.Jobs.GetAsync(jobId, default);
        Assert.Equal(JobStatus.Success, stored!.Status);
    }

    [Fact]
    public async Task LongCountdown_CancelFromThePage_StatusCancelled()
    {
        var dashboard = new DashboardPage(Page);
        await dashboard.OpenAndSignInAsync(Host.Address);

        var jobId = await dashboard.SubmitAsync("countdown", """{"steps":400,"interval_ms":100}""");
        var row = dashboard.Row(jobId);
        await Expect(row.GetByTestId("job-status")).ToHaveTextAsync("running", DashboardPage.Slow);
        await Expect(row.GetByTestId("job-progress-text")).ToContainTextAsync("/400", new() { Timeout = 60_000 });
        await BrowserFixture.ScreenshotAsync(Page, "countdown-running");

        await row.GetByTestId("cancel-job").ClickAsync();

        await Expect(row.GetByTestId("job-status")).ToHaveTextAsync("cancelled", DashboardPage.Slow);
        await Expect(row.GetByTestId("job-error")).ToContainTextAsync("CANCELLED");
        await Expect(row.GetByTestId("cancel-job")).ToBeHiddenAsync();
        var percent = int.Parse((await row.GetByTestId("job-progress").GetAttributeAsync("data-percent"))!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(percent, 0, 99);
        await BrowserFixture.ScreenshotAsync(Page, "countdown-cancelled");

        var stored = await Host.Jobs.GetAsync(jobId, default);
        Assert.Equal(JobStatus.Cancelled, stored!.Status);
    }
}

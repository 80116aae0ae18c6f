using System.Globalization;
using Arcp.Protocol.Messages;
using Arcp.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Arcp.Dashboard.Tests;

/// <summary>The per-job view: timing from the wire (job.accepted / listing, event and terminal timestamps), outcome, progress over time.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class JobViewTests(AzuriteFixture azurite, BrowserFixture browser) : HostedDashboardTests(azurite, browser), IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task FinishedJob_OpenedFromANewSession_ShowsStatusAgentTimingResultEventsAndProgress()
    {
        // Arrange: a countdown that finished in an earlier session of the same principal.
        var first = new DashboardPage(Page);
        await first.OpenAndSignInAsync(Host.Address);
        var jobId = await first.SubmitAsync("countdown", """{"steps":5,"interval_ms":200}""");
        await Expect(first.Row(jobId).GetByTestId("job-status")).ToHaveTextAsync("success", DashboardPage.Slow);
        var stored = await Host.Jobs.GetAsync(jobId, default);
        var later = await Browser.NewPageAsync();
        var dashboard = new DashboardPage(later);

        try
        {
            // Act
            await dashboard.OpenAndSignInAsync(Host.Address);
            await Expect(dashboard.Row(jobId).GetByTestId("job-status")).ToHaveTextAsync("success", DashboardPage.Slow);
            await dashboard.Row(jobId).ClickAsync();

            // Assert
            var view = later.GetByTestId("job-detail");
            await Expect(view).ToBeVisibleAsync();
            await Expect(view).ToHaveAttributeAsync("data-job-id", jobId);
            await Expect(later.GetByTestId("job-empty")).ToBeHiddenAsync();
            await Expect(later.GetByTestId("detail-status")).ToHaveTextAsync("success");
            await Expect(later.GetByTestId("detail-agent")).ToHaveTextAsync("countdown@1.0.0");
            await Expect(later.GetByTestId("detail-outcome-title")).ToHaveTextAsync("Result");
            await Expect(later.GetByTestId("detail-outcome")).ToContainTextAsync("\"steps\": 5");
            Assert.Equal("{\n  \"steps\": 5\n}", await later.GetByTestId("detail-outcome").TextContentAsync());
            await Expect(later.GetByTestId("progress-chart")).ToHaveAttributeAsync("data-points", "5", new() { Timeout = 90_000 });
            await Expect(later.GetByTestId("progress-chart")).ToBeVisibleAsync();
            await Expect(later.GetByTestId("progress-none")).ToBeHiddenAsync();
            await Expect(later.GetByTestId("progress-sample")).ToHaveCountAsync(5);
            await Expect(dashboard.EventLog.GetByTestId("event")).ToHaveCountAsync(6);
            var samples = await later.GetByTestId("progress-sample").Locator("td:nth-child(2)").AllTextContentsAsync();
            Assert.Equal(["1/5", "2/5", "3/5", "4/5", "5/5"], samples);
            // A step line from (queued, 0) through two corners per sample to the right edge at the final value.
            var points = (await later.GetByTestId("progress-line").GetAttributeAsync("points"))!.Split(' ');
            Assert.Equal(1 + (2 * 5) + 1, points.Length);
            var xy = points.Select(p => p.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
            Assert.Equal(new double[] { 0, 119 }, xy[0]);
            Assert.Equal(new double[] { 600, 4 }, xy[^1]);
            Assert.True(xy.Zip(xy.Skip(1)).All(pair => pair.First[0] <= pair.Second[0] && pair.First[1] >= pair.Second[1]), string.Join(' ', points));
            Assert.Equal(5, xy.Skip(1).Zip(xy.Skip(2)).Count(pair => pair.First[1] > pair.Second[1]));
            await Expect(later.GetByTestId("progress-caption")).ToContainTextAsync("Top: 5.");
            var log = await dashboard.EventLog.GetByTestId("event").AllTextContentsAsync();
            Assert.Equal(6, log.Count);
            Assert.Equal("[result] {\"steps\":5}", log[5]);

            var queued = await TimeAsync(later, "detail-queued");
            var started = await TimeAsync(later, "detail-started");
            var ended = await TimeAsync(later, "detail-ended");
            Assert.Equal(stored!.Definition.CreatedAt.ToUnixTimeMilliseconds(), queued.ToUnixTimeMilliseconds());
            Assert.True(started >= stored.StartedAt!.Value.AddMilliseconds(-1), $"started {started:O} before the runner claimed the job at {stored.StartedAt:O}");
            Assert.InRange(ended, started, stored.FinishedAt!.Value.AddSeconds(1));
            // Five steps 200 ms apart: at least 800 ms between the first progress and the result.
            Assert.True(ended - started >= TimeSpan.FromMilliseconds(800), $"{started:O} → {ended:O}");
            var duration = later.GetByTestId("detail-duration");
            Assert.Equal(ended.ToUnixTimeMilliseconds() - queued.ToUnixTimeMilliseconds(), long.Parse((await duration.GetAttributeAsync("data-ms"))!, CultureInfo.InvariantCulture));
            await Expect(duration).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+(\.\d+)? (ms|s)$"));
            Assert.Equal(started.ToUnixTimeMilliseconds() - queued.ToUnixTimeMilliseconds(), long.Parse((await later.GetByTestId("detail-waited").GetAttributeAsync("data-ms"))!, CultureInfo.InvariantCulture));
            await Expect(later.GetByTestId("detail-trace")).ToHaveTextAsync(stored.Definition.TraceId!);
            await later.GetByTestId("job-view").GetByText("Progress samples").ClickAsync();
            await BrowserFixture.ScreenshotAsync(later, "job-view-success");
        }
        finally
        {
            await later.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task CancelledJob_ShowsTheErrorAndItsEnd()
    {
        // Arrange
        var dashboard = new DashboardPage(Page);
        await dashboard.OpenAndSignInAsync(Host.Address);
        var jobId = await dashboard.SubmitAsync("countdown", """{"steps":400,"interval_ms":100}""");
        var row = dashboard.Row(jobId);
        await Expect(row.GetByTestId("job-progress-text")).ToContainTextAsync("/400", new() { Timeout = 60_000 });

        // Act
        await row.GetByTestId("cancel-job").ClickAsync();

        // Assert: the submitted job is the one on view.
        await Expect(Page.GetByTestId("detail-status")).ToHaveTextAsync("cancelled", DashboardPage.Slow);
        await Expect(Page.GetByTestId("job-detail")).ToHaveAttributeAsync("data-job-id", jobId);
        await Expect(Page.GetByTestId("detail-outcome-title")).ToHaveTextAsync("Error");
        await Expect(Page.GetByTestId("detail-outcome")).ToContainTextAsync("\"code\": \"CANCELLED\"");
        var ended = await TimeAsync(Page, "detail-ended");
        var started = await TimeAsync(Page, "detail-started");
        Assert.True(ended > started);
        Assert.NotEqual("", await Page.GetByTestId("detail-duration").GetAttributeAsync("data-ms"));
        Assert.True(int.Parse((await Page.GetByTestId("progress-chart").GetAttributeAsync("data-points"))!, CultureInfo.InvariantCulture) >= 1);
        await BrowserFixture.ScreenshotAsync(Page, "job-view-cancelled");
        var stored = await Host.Jobs.GetAsync(jobId, default);
        Assert.Equal(JobStatus.Cancelled, stored!.Status);
    }

    [Fact]
    public async Task TokenInTheAddressFragment_SignsInAndLeavesTheAddressBar()
    {
        // Act: the address the run command prints with its development token.
        await Page.GotoAsync(new Uri(Host.Address, "/#token=tok-alice").ToString());

        // Assert
        var dashboard = new DashboardPage(Page);
        await Expect(dashboard.ConnectionStatus).ToHaveTextAsync("connected");
        await Expect(Page.GetByTestId("sign-in-panel")).ToBeHiddenAsync();
        await Expect(Page.GetByTestId("job-empty")).ToBeVisibleAsync();
        Assert.DoesNotContain("token", Page.Url, StringComparison.Ordinal);
    }

    private static async Task<DateTimeOffset> TimeAsync(IPage page, string testId)
    {
        var value = await page.GetByTestId(testId).GetAttributeAsync("datetime");
        Assert.False(string.IsNullOrEmpty(value), testId + " has no datetime");
        return DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
    }
}

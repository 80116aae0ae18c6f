using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Arcp.Dashboard.Tests;

/// <summary>What a person does on the dashboard, by its <c>data-testid</c> attributes.</summary>
internal sealed class DashboardPage(IPage page)
{
    public static readonly LocatorAssertionsToHaveTextOptions Slow = new() { Timeout = 90_000 };

    public IPage Page => page;

    public ILocator ConnectionStatus => page.GetByTestId("connection-status");

    public ILocator SessionId => page.GetByTestId("session-id");

    public ILocator Rows => page.GetByTestId("job-row");

    public ILocator Row(string jobId) => page.Locator($"[data-testid=job-row][data-job-id='{jobId}']");

    public ILocator EventLog => page.GetByTestId("event-log");

    public async Task OpenAndSignInAsync(Uri address, string token = "tok-alice")
    {
        await page.GotoAsync(address.ToString());
        await Expect(page.GetByTestId("sign-in-panel")).ToBeVisibleAsync();
        await page.GetByTestId("token-input").FillAsync(token);
        await page.GetByTestId("sign-in-button").ClickAsync();
        await Expect(ConnectionStatus).ToHaveTextAsync("connected");
        await Expect(page.GetByTestId("sign-in-panel")).ToBeHiddenAsync();
    }

    /// <summary>Submits from the form; returns the id of the job whose row appeared.</summary>
    public async Task<string> SubmitAsync(string agent, string inputJson, string budget = "")
    {
        var before = await Rows.CountAsync();
        await page.GetByTestId("agent-select").SelectOptionAsync(agent);
        await page.GetByTestId("input-json").FillAsync(inputJson);
        await page.GetByTestId("budget-input").FillAsync(budget);
        await page.GetByTestId("submit-button").ClickAsync();
        await Expect(Rows).ToHaveCountAsync(before + 1);
        // Newest first.
        return (await Rows.First.GetAttributeAsync("data-job-id"))!;
    }
}

using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using LprEvents.BrowserTests.Support;
using LprEvents.Tests.Support;
using LprEvents.Web.Services.Email;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LprEvents.BrowserTests;

/// <summary>
/// A reader orders the e-mail alerts from a region's page in Chromium, makes a mistake, corrects it, confirms through
/// the e-mailed link and unsubscribes; every page is checked with axe.
/// </summary>
public sealed class AlertsBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task SubscribeFromARegionPage_Confirm_ThenUnsubscribe()
    {
        BrowserFixture.RequireBrowser();
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/regionen/mittelsachsen");
        await page.GetByRole(AriaRole.Link, new() { Name = "Neues aus Mittelsachsen einmal pro Woche per E-Mail" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("E-Mail-Benachrichtigungen");
        await Assertions.Expect(page.GetByLabel("Mittelsachsen", new() { Exact = true })).ToBeCheckedAsync();
        await AssertNoAxeViolationsAsync(page, "benachrichtigungen-formular");
        await page.ScreenshotAsync(new() { Path = Shot("benachrichtigungen-formular"), FullPage = true });

        // A mistake first: no consent. The page says so next to the box and keeps address and regions.
        await page.GetByLabel("E-Mail-Adresse", new() { Exact = true }).FillAsync("leserin@freiberg.example");
        await page.GetByLabel("Chemnitz", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Benachrichtigungen bestellen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error-summary")).ToContainTextAsync("Bitte willigen Sie in die Verarbeitung Ihrer E-Mail-Adresse ein");
        await Assertions.Expect(page.GetByLabel("E-Mail-Adresse", new() { Exact = true })).ToHaveValueAsync("leserin@freiberg.example");
        await Assertions.Expect(page.GetByLabel("Chemnitz", new() { Exact = true })).ToBeCheckedAsync();
        await AssertNoAxeViolationsAsync(page, "benachrichtigungen-fehler");
        await page.ScreenshotAsync(new() { Path = Shot("benachrichtigungen-fehler"), FullPage = true });

        await page.GetByLabel("Ich willige ein").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Benachrichtigungen bestellen" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Bitte bestätigen Sie Ihre E-Mail-Adresse");
        await AssertNoAxeViolationsAsync(page, "benachrichtigungen-eingegangen");

        await browser.Factory.Services.GetRequiredService<OutboxSender>().SendDueAsync(TestContext.Current.CancellationToken);
        var mail = Mailbox.To(browser.Factory.MailFolder, "leserin@freiberg.example").Single();
        var link = System.Text.RegularExpressions.Regex.Match(mail.TextBody ?? "", "https?://[^/\\s]+(?<path>/benachrichtigungen/verwalten/[0-9a-f]{64})").Groups["path"].Value;
        await page.GotoAsync(link);
        await page.GetByRole(AriaRole.Button, new() { Name = "Abonnement bestätigen" }).ClickAsync();
        await Assertions.Expect(page.Locator("[role=status]")).ToContainTextAsync("Ihre E-Mail-Adresse ist bestätigt");
        await AssertNoAxeViolationsAsync(page, "benachrichtigungen-verwalten");
        await page.ScreenshotAsync(new() { Path = Shot("benachrichtigungen-verwalten"), FullPage = true });

        await page.GetByRole(AriaRole.Link, new() { Name = "Abbestellen …" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Benachrichtigungen wirklich abbestellen?");
        await AssertNoAxeViolationsAsync(page, "benachrichtigungen-abbestellen");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ja, abbestellen" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Benachrichtigungen abbestellt");
        await AssertNoAxeViolationsAsync(page, "benachrichtigungen-abbestellt");
        await page.Context.CloseAsync();
    }

    private static string Shot(string name) => Path.Combine(BrowserFixture.ScreenshotFolder, $"{name}.png");

    private static async Task AssertNoAxeViolationsAsync(IPage page, string name)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        Assert.True(
            result.Violations.Length == 0,
            $"{name}: " + string.Join("\n", result.Violations.Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => string.Join(" ", n.Target)))})")));
    }
}

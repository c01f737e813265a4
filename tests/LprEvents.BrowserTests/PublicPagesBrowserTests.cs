using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using LprEvents.BrowserTests.Support;
using Microsoft.Playwright;

namespace LprEvents.BrowserTests;

/// <summary>What a person sees: each public page in Chromium, checked by axe for WCAG 2.1 A/AA, and photographed.</summary>
public sealed class PublicPagesBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    public static TheoryData<string, string> Pages() => new()
    {
        { "startseite", "/" },
        { "aktuelles", "/aktuelles" },
        { "artikel", "/aktuelles/bericht-vernetzungstreffen-freiberg-2023" },
        { "veranstaltungen", "/veranstaltungen" },
        { "veranstaltung", "/veranstaltungen/vernetzungstreffen-freiberg-2023" },
        { "region", "/regionen/mittelsachsen" },
        { "regionen", "/regionen" },
        { "impressum", "/impressum" },
        { "datenschutz", "/datenschutz" },
        { "barrierefreiheit", "/barrierefreiheit" },
        { "nicht-gefunden", "/gibt-es-nicht" },
        { "anmeldung-ausgebucht", "/anmeldung-ausgebucht" },
        { "anmeldung-neuer-link", "/anmeldung-neuer-link" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_HasNoAxeViolationsForWcag21AA(string name, string path)
    {
        BrowserFixture.RequireBrowser();
        var page = await browser.NewPageAsync();
        var foreignRequests = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(browser.BaseAddress.ToString(), StringComparison.Ordinal))
            {
                foreignRequests.Add(request.Url);
            }
        };

        await page.GotoAsync(path);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"{name}.png"), FullPage = true });
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });

        Assert.True(
            result.Violations.Length == 0,
            string.Join("\n", result.Violations.Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => string.Join(" ", n.Target)))})")));
        Assert.Empty(foreignRequests);
        await page.Context.CloseAsync();
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_At320Pixels_NeedsNoSidewaysScrolling(string name, string path)
    {
        BrowserFixture.RequireBrowser();
        var page = await browser.NewPageAsync(width: 320, height: 640);

        await page.GotoAsync(path);
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"{name}-320.png"), FullPage = true });

        Assert.True(scrollWidth <= 320, $"{path} is {scrollWidth}px wide at a 320px viewport");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SkipLink_IsTheFirstTabStopAndMovesFocusToTheContent()
    {
        BrowserFixture.RequireBrowser();
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/aktuelles");

        await page.Keyboard.PressAsync("Tab");
        var focused = page.Locator(":focus");
        await Assertions.Expect(focused).ToHaveTextAsync("Zum Inhalt springen");
        await Assertions.Expect(focused).ToBeInViewportAsync();

        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("inhalt", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task NewsFilter_WorksWithoutJavaScript()
    {
        BrowserFixture.RequireBrowser();
        var page = await browser.NewPageAsync(javaScript: false);
        await page.GotoAsync("/aktuelles");

        await page.GetByLabel("Region").SelectOptionAsync(new SelectOptionValue { Label = "Mittelsachsen" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter anwenden" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("region=mittelsachsen"));
        await Assertions.Expect(page.Locator(".result-count")).ToHaveTextAsync("3 Beiträge");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "aktuelles-gefiltert.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ReaderFollowsHomeToEventToReport()
    {
        BrowserFixture.RequireBrowser();
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/");

        await page.GetByRole(AriaRole.Link, new() { Name = "Veranstaltungen", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Vernetzungstreffen Chemnitz, Mittelsachsen und Erzgebirge" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Vernetzungstreffen Chemnitz, Mittelsachsen und Erzgebirge");
        await page.GetByRole(AriaRole.Link, new() { Name = "Vernetzungstreffen in Freiberg: Drei Regionen, ein Netzwerk" }).ClickAsync();

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Vernetzungstreffen in Freiberg: Drei Regionen, ein Netzwerk");
        var image = page.Locator(".lead-image img");
        Assert.True(await image.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), "the lead image did not load");
        await page.Context.CloseAsync();
    }
}

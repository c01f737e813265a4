using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using LprEvents.BrowserTests.Support;
using Microsoft.Playwright;

namespace LprEvents.BrowserTests;

/// <summary>A reader searches from the header field on a phone and on a desktop; axe checks the results page.</summary>
public sealed class SearchBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData("suche", 1280, 900)]
    [InlineData("suche-390", 390, 844)]
    public async Task HeaderSearch_ShowsHighlightedResults_WithoutAxeViolations(string name, int width, int height)
    {
        BrowserFixture.RequireBrowser();
        var page = await browser.NewPageAsync(width: width, height: height);
        await page.GotoAsync("/aktuelles");

        await page.GetByLabel("Website durchsuchen").FillAsync("praeventionsraete");
        await page.GetByLabel("Website durchsuchen").PressAsync("Enter");
        // Until the results page's document is there, not its "load" event: under a loaded CI machine that wait once
        // hung for 90 s after the page had arrived (network idle reached).
        await page.WaitForURLAsync("**/suche?q=praeventionsraete", new() { WaitUntil = WaitUntilState.DOMContentLoaded });

        Assert.Equal("Suche", await page.Locator("h1").InnerTextAsync());
        Assert.Matches(@"^\d+ Treffer für „praeventionsraete“$", (await page.Locator(".result-count").InnerTextAsync()).Trim());
        Assert.Equal("Kommunale Präventionsräte: Was eine Gründung braucht", await page.Locator(".search-result__title").First.InnerTextAsync());
        Assert.True(await page.Locator(".search-result mark").CountAsync() > 1);
        Assert.Equal("praeventionsraete", await page.GetByLabel("Suchbegriff").InputValueAsync());
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"the results page is {scrollWidth}px wide at {width}px");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"{name}.png"), FullPage = true });

        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        Assert.True(
            result.Violations.Length == 0,
            string.Join("\n", result.Violations.Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => string.Join(" ", n.Target)))})")));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Filters_AndNoHits_ReadAsText_WithoutAxeViolations_At320Pixels()
    {
        BrowserFixture.RequireBrowser();
        var page = await browser.NewPageAsync(width: 320, height: 640);
        await page.GotoAsync("/suche?q=Freiberg");

        await page.GetByLabel("Art").SelectOptionAsync(new SelectOptionValue { Label = "Nur Veranstaltungen" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Suchen", Exact = true }).Last.ClickAsync();
        await page.WaitForURLAsync("**/suche?q=Freiberg&typ=veranstaltungen&region=", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.All(await page.Locator(".search-result .badge").AllInnerTextsAsync(), badge => Assert.Equal("Veranstaltung", badge));

        await page.GotoAsync("/suche?q=Quantenchromodynamik");
        Assert.Equal("Keine Treffer für „Quantenchromodynamik“", (await page.Locator(".result-count").InnerTextAsync()).Trim());
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "suche-keine-treffer-320.png"), FullPage = true });
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        var wide = await page.EvaluateAsync<string>("() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 320).map(e => e.tagName + '.' + e.className).join(' ')");
        Assert.True(scrollWidth <= 320, $"the no-hits page is {scrollWidth}px wide at 320px: {wide}");
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        Assert.True(result.Violations.Length == 0, string.Join("\n", result.Violations.Select(v => $"{v.Id}: {v.Help}")));
        await page.Context.CloseAsync();
    }
}
